namespace Linkerd2Gen.Yaml;

/// <summary>Input files read whole, within a cap: a device or a pipe (/dev/zero, &lt;(yes)) has no length to check before
/// reading, and may never end.</summary>
public static class TextFile
{
    /// <summary>What any input file other than a mesh file (a base's manifests, a kustomization, a template) may hold:
    /// far more than any real one.</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>Like File.ReadAllText; over <see cref="MaxBytes"/>, an IOException that says so (where its callers report a
    /// file that cannot be read).</summary>
    public static string Read(string path) => ReadAtMost(path, MaxBytes, new FileInfo(path).Length) ?? throw TooLarge();

    /// <summary>Like File.ReadAllBytes, within <see cref="MaxBytes"/> the same way.</summary>
    public static byte[] ReadBytes(string path) => ReadBytesAtMost(path, MaxBytes, new FileInfo(path).Length)?.ToArray() ?? throw TooLarge();

    /// <summary>Like TextReader.ReadToEnd (standard input), within <see cref="MaxBytes"/> characters the same way.</summary>
    public static string Read(TextReader reader)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[64 * 1024];
        for (int read; (read = reader.Read(buffer, 0, buffer.Length)) > 0;)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxBytes) throw TooLarge();
        }
        return text.ToString();
    }

    private static IOException TooLarge() => new($"it holds more than the limit of {MaxBytes >> 20} MiB");

    /// <summary>The file's text as File.ReadAllText reads it (UTF-8, or the encoding its byte order mark names), or null
    /// when it holds more than <paramref name="limit"/> bytes. <paramref name="length"/>: what the file system says it
    /// holds (0 for a stream), room made for it at once.</summary>
    public static string? ReadAtMost(string path, long limit, long length)
    {
        if (ReadBytesAtMost(path, limit, length) is not { } bytes) return null;
        using var reader = new StreamReader(bytes, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static MemoryStream? ReadBytesAtMost(string path, long limit, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var bytes = new MemoryStream((int)Math.Min(length + 1, limit + 1));
        var buffer = new byte[64 * 1024];
        for (int read; (read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - bytes.Length))) > 0;)
        {
            bytes.Write(buffer, 0, read);
            if (bytes.Length > limit) return null;
        }
        bytes.Position = 0;
        return bytes;
    }
}
