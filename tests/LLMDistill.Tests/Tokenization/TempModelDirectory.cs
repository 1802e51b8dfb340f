namespace LLMDistill.Tests.Tokenization;

/// <summary>A throw-away model directory with the files a test writes into it.</summary>
internal sealed class TempModelDirectory : IDisposable
{
    public TempModelDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmdistill-tok-" + Guid.NewGuid().ToString("N"));

    public TempModelDirectory With(string file, string content)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, file), content);
        return this;
    }

    public TempModelDirectory WithCopy(string sourceFile)
    {
        File.Copy(sourceFile, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(sourceFile)));
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder left behind is harmless
        }
    }
}
