using System.Collections.Concurrent;
using LLMDistill.Configuration;
using LLMDistill.Teachers.Accounting;
using LLMDistill.Teachers.Caching;
using LLMDistill.Teachers.Decorators;
using LLMDistill.Teachers.Limits;
using LLMDistill.Teachers.OpenAi;
using LLMDistill.Teachers.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LLMDistill.Teachers;

/// <summary>
/// Creates the teachers configured under <c>Teachers:&lt;name&gt;</c>. Every teacher, whatever its kind, is wrapped
/// (outermost first) in the response cache, cost accounting with budgets, and client-side limits with Polly
/// resilience. All enabled teachers are validated when the factory is built, so bad configuration fails at start-up
/// with a message naming <c>Teachers:&lt;name&gt;:&lt;Key&gt;</c>.
/// </summary>
public sealed class TeacherFactory : ITeacherFactory
{
    private readonly Dictionary<string, TeacherDefinition> _definitions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ITeacherClientProvider> _providers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<Created>>> _created = new(StringComparer.OrdinalIgnoreCase);
    private readonly TeacherPoolOptions _pool;
    private readonly TeacherUsageLedger _ledger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private int _disposed;

    /// <summary>Reads and validates the <c>Teachers</c> section.</summary>
    /// <param name="configuration">The application configuration.</param>
    /// <param name="providers">Providers of further kinds (e.g. <c>local</c> from LLMDistill.Training); they may replace the built-in <c>openai</c>/<c>azure</c>.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">The clock for timeouts, back-off and rate limits.</param>
    /// <exception cref="OptionsValidationException">A teacher is misconfigured; the message names the key.</exception>
    public TeacherFactory(IConfiguration configuration, IEnumerable<ITeacherClientProvider> providers, ILoggerFactory loggerFactory, TimeProvider timeProvider)
        : this(configuration, providers, loggerFactory, timeProvider, TeacherDefinition.ReadEnvironment)
    {
    }

    internal TeacherFactory(
        IConfiguration configuration, IEnumerable<ITeacherClientProvider> providers, ILoggerFactory loggerFactory, TimeProvider timeProvider, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("LLMDistill.Teachers");
        _timeProvider = timeProvider;
        foreach (var provider in new ITeacherClientProvider[]
        {
            new OpenAiTeacherProvider(TeacherKinds.OpenAI, timeProvider), new OpenAiTeacherProvider(TeacherKinds.Azure, timeProvider),
        }.Concat(providers))
        {
            _providers[provider.Kind] = provider;
        }

        _pool = OptionsBinder.Bind<TeacherPoolOptions>(configuration, TeacherPoolOptions.SectionName);
        _ledger = new TeacherUsageLedger(_pool.TotalBudgetUsd);
        foreach (var section in configuration.GetSection(TeacherPoolOptions.SectionName).GetChildren().Where(s => s.GetChildren().Any()))
        {
            var definition = Define(configuration, section, environment);
            _definitions[definition.Name] = definition;
        }

        TeacherNames = [.. _definitions.Keys.Order(StringComparer.Ordinal)];
        if (_pool.Default is { Length: > 0 } name && !_definitions.ContainsKey(name))
        {
            throw new OptionsValidationException($"{TeacherPoolOptions.SectionName}:Default: no teacher named '{name}' (configured: {Names()})");
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> TeacherNames { get; }

    /// <summary>The teacher to use when none is named (<c>Teachers:Default</c>), or null.</summary>
    public string? DefaultTeacher => _pool.Default is { Length: > 0 } name ? _definitions[name].Name : null;

    /// <summary>The validated definition of teacher <paramref name="name"/>.</summary>
    /// <exception cref="OptionsValidationException">No such teacher.</exception>
    public TeacherDefinition Definition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _definitions.TryGetValue(name, out var definition)
            ? definition
            : throw new OptionsValidationException($"{TeacherOptions.SectionPrefix}:{name}: no such teacher (configured: {Names()})");
    }

    /// <inheritdoc />
    public async ValueTask<ITeacherClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var definition = Definition(name);
        if (!definition.Options.Enabled)
        {
            throw new OptionsValidationException($"{definition.ConfigKey("Enabled")}: teacher '{definition.Name}' is disabled");
        }

        var lazy = _created.GetOrAdd(definition.Name, _ => new Lazy<Task<Created>>(() => CreateAsync(definition, cancellationToken)));
        try
        {
            return (await lazy.Value).Client;
        }
        catch
        {
            _created.TryRemove(new KeyValuePair<string, Lazy<Task<Created>>>(definition.Name, lazy)); // let a later call try again
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<TeacherUsageReport> Usage() => _ledger.Reports();

    /// <summary>The cost of all teachers together so far, in USD.</summary>
    public decimal TotalCostUsd => _ledger.TotalCostUsd;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var lazy in _created.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            var created = lazy.Value.Result;
            switch (created.Raw)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }

            created.Limiter.Dispose();
        }

        _created.Clear();
    }

    private TeacherDefinition Define(IConfiguration configuration, IConfigurationSection section, Func<string, string?> environment)
    {
        var key = $"{TeacherOptions.SectionPrefix}:{section.Key}";
        if (TeacherPoolOptions.ReservedKeys.Contains(section.Key))
        {
            throw new OptionsValidationException($"{key}: '{section.Key}' is a setting of the Teachers section, not a teacher name");
        }

        var options = new TeacherOptions();
        var enabled = section["Enabled"];
        if (enabled is not null && bool.TryParse(enabled, out var isEnabled) && !isEnabled)
        {
            // A disabled example is listed but not validated: it may lack a key or endpoint on purpose.
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = false);
            return new TeacherDefinition(section.Key, options, section, environment);
        }

        options = OptionsBinder.Bind<TeacherOptions>(configuration, key);
        var definition = new TeacherDefinition(section.Key, options, section, environment);
        if (!_providers.TryGetValue(options.Kind, out var provider))
        {
            var hint = options.Kind.Equals(TeacherKinds.Local, StringComparison.OrdinalIgnoreCase)
                ? "the local kind is provided by LLMDistill.Training, which is not registered here"
                : $"known kinds: {string.Join(", ", _providers.Keys.Order(StringComparer.Ordinal))}";
            throw new OptionsValidationException($"{definition.ConfigKey("Kind")}: unknown kind '{options.Kind}' ({hint})");
        }

        provider.Validate(definition);
        _ledger.MeterFor(definition.Name, options);
        return definition;
    }

    private async Task<Created> CreateAsync(TeacherDefinition definition, CancellationToken cancellationToken)
    {
        var options = definition.Options;
        var limiter = new TeacherRateLimiter(definition.Name, options, _timeProvider, _logger);
        try
        {
            definition.RateLimitFeedback = limiter;
            var raw = await _providers[options.Kind].CreateAsync(definition, cancellationToken);
            var meter = _ledger.MeterFor(definition.Name, options);
            TeacherClientDecorator chain = new ResilientTeacherClient(raw, options, limiter, _timeProvider, _logger);
            chain = new AccountingTeacherClient(chain, meter, _logger);
            var endpoint = _providers[options.Kind] is OpenAiTeacherProvider ? OpenAiTeacherProvider.ResolveEndpoint(definition).AbsoluteUri : options.Endpoint;
            var model = options.Model ?? options.Deployment ?? definition.Name;
            if (options.Cache)
            {
                var keys = new TeacherCacheKey(definition.Name, options.Kind, endpoint, options.Model, options.Deployment, options.Mode, (raw as ITeacherCacheIdentity)?.CacheIdentity);
                var cache = new TeacherResponseCache(_pool.CacheDirectory, definition.Name, _logger);
                chain = new CachingTeacherClient(chain, cache, keys, meter, model);
            }

            var shownEndpoint = Redact(endpoint) ?? "(in process)";
            TeacherLog.TeacherCreated(_logger, definition.Name, options.Kind, shownEndpoint, model, options.Mode, options.Cache);
            return new Created(TeacherClientViews.Create(chain, raw), raw, limiter);
        }
        catch
        {
            limiter.Dispose();
            throw;
        }
    }

    // An endpoint may carry user:password; logs get the URL without it.
    private static string? Redact(string? endpoint)
        => endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri
            : endpoint;

    private string Names() => _definitions.Count == 0 ? "none" : string.Join(", ", _definitions.Keys.Order(StringComparer.Ordinal));

    private sealed record Created(ITeacherClient Client, ITeacherClient Raw, TeacherRateLimiter Limiter);
}
