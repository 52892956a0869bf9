using SharpYaml;
using SharpYaml.Events;

namespace Linkerd2Gen.Verify;

/// <summary>
/// The verifier's pull reader: a rendered file's YAML events, one at a time, with YamlDotNet-style Consume/TryConsume
/// over SharpYaml's parser (0-based marks there, 1-based lines here, as every diagnostic counts them).
/// </summary>
internal sealed class YamlEvents
{
    private readonly IParser _parser;

    /// <summary>Reads the first event at once: a file that does not even start as YAML throws here.</summary>
    public YamlEvents(string content)
    {
        _parser = Parser.CreateParser(new StringReader(content));
        _parser.MoveNext();
    }

    public ParsingEvent? Current => _parser.Current;

    public bool MoveNext() => _parser.MoveNext();

    /// <summary>The current event, which must be a <typeparamref name="T"/>; the reader moves past it.</summary>
    public T Consume<T>() where T : ParsingEvent
    {
        if (Current is not T wanted)
        {
            var at = Current?.Start ?? Mark.Empty;
            throw new SemanticErrorException(at, Current?.End ?? at, $"expected {typeof(T).Name}, found {Current?.GetType().Name ?? "the end"}");
        }
        MoveNext();
        return wanted;
    }

    /// <summary>True, moving past it, when the current event is a <typeparamref name="T"/>.</summary>
    public bool TryConsume<T>() where T : ParsingEvent
    {
        if (Current is not T) return false;
        MoveNext();
        return true;
    }

    public static long Line(Mark mark) => mark.Line + 1;

    /// <summary>The exception's own words, without the position SharpYaml puts first (its 0-based line would contradict ours).</summary>
    public static string Message(YamlException e)
    {
        var message = e.Message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Lin:", StringComparison.Ordinal) && end >= 0 ? message[(end + 3)..] : message;
    }
}
