using System.Text;

namespace Linkerd2Gen.Yaml;

/// <summary>The one document splitter for Kubernetes manifest streams, as linkerd's YAML reader splits them.</summary>
public static class YamlDocuments
{
    /// <summary>k8s.io/apimachinery's YAMLReader: documents end at lines starting with "---"; empty ones are not documents.</summary>
    public static IEnumerable<string> Split(string input)
    {
        var buffer = new StringBuilder();
        foreach (var line in Lines(input))
        {
            if (line.StartsWith("---", StringComparison.Ordinal) && line[3..].Trim() is var rest && (rest.Length == 0 || rest.StartsWith('#')))
            {
                if (buffer.Length > 0)
                {
                    yield return buffer.ToString();
                    buffer.Clear();
                }
                continue;
            }
            buffer.Append(line);
        }
        if (buffer.Length > 0) yield return buffer.ToString();
    }

    private static IEnumerable<string> Lines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) { yield return text[start..]; yield break; }
            yield return text[start..(end + 1)];
            start = end + 1;
        }
    }
}
