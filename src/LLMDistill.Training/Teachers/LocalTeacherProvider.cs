using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Inference;
using LLMDistill.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Teachers;

/// <summary>
/// Provides the <c>local</c> teacher kind to <see cref="TeacherFactory"/>: reads <see cref="LocalTeacherOptions"/> from
/// the teacher's section, resolves <c>Model</c> (a directory, or <c>hf:org/name</c> through the Hub cache), loads the
/// model and returns a <see cref="LocalTeacher"/>. Register it with <c>services.AddLlmDistillLocalTeacher()</c>.
/// </summary>
public sealed class LocalTeacherProvider : ITeacherClientProvider
{
    private readonly ModelLocator? _locator;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the provider.</summary>
    /// <param name="locator">Resolves <c>hf:</c> references; null when the Hub is not registered (then only directories work).</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    public LocalTeacherProvider(ModelLocator? locator = null, ILoggerFactory? loggerFactory = null)
    {
        _locator = locator;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    public string Kind => TeacherKinds.Local;

    /// <inheritdoc />
    public void Validate(TeacherDefinition definition) => Read(definition);

    /// <inheritdoc />
    public async ValueTask<ITeacherClient> CreateAsync(TeacherDefinition definition, CancellationToken cancellationToken)
    {
        var options = Read(definition);
        var directory = options.Model;
        string? name = null; // the directory's name
        if (HubModelReference.IsHubReference(options.Model))
        {
            name = HubModelReference.Parse(options.Model).RepoId.Value;
            if (_locator is null)
            {
                throw new OptionsValidationException($"{definition.ConfigKey("Model")}: '{options.Model}' is a Hub reference but the Hub is not registered here; use a local directory");
            }

            directory = (await _locator.ResolveAsync(options.Model, definition.ConfigKey("Model"), progress: null, cancellationToken)).Directory;
        }

        var device = options.ResolveDevice();
        var model = await LocalModel.LoadAsync(
            new LocalModelOptions(directory, name, device, options.ResolveDtype(), options.ChatTemplate, options.ToSchedulerOptions()),
            _loggerFactory.CreateLogger<LocalTeacher>(),
            cancellationToken);
        return new LocalTeacher(definition.Name, model, definition.Options.MaxTopLogprobs);
    }

    private static LocalTeacherOptions Read(TeacherDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = new LocalTeacherOptions();
        try
        {
            definition.Section.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException($"{definition.ConfigKey("")}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        OptionsBinder.Validate(options, $"{TeacherOptions.SectionPrefix}:{definition.Name}");
        if (!HubModelReference.IsHubReference(options.Model) && !Directory.Exists(options.Model))
        {
            throw new OptionsValidationException(
                $"{definition.ConfigKey("Model")}: the model directory '{options.Model}' does not exist (give a Hugging Face model directory, or hf:org/name)");
        }

        if (!options.Device.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                options.ResolveDevice();
            }
            catch (ArgumentException ex)
            {
                throw new OptionsValidationException($"{definition.ConfigKey("Device")}: {ex.Message}", ex);
            }
        }

        return options;
    }
}
