using System.Buffers;
using System.Collections.Concurrent;
using Linkerd2Gen.Diagnostics;
using SharpYaml.Events;

namespace Linkerd2Gen.Verify;

/// <summary>
/// Proves that a rendered YAML file reads back without reading all of it. The files of a fleet differ mostly in the
/// values the templates' expressions wrote (names, images, ports): a file's shape is its text with each value that is
/// one plain word (letters, digits, <c>._/-</c>, colons between) replaced by a placeholder, and each distinct shape is
/// read back once, in full, by the walk that reads files. The placeholder and such a word are read alike wherever they
/// stand (a whole scalar, part of one, a comment): no indicator, quote, space or line break is in either. So a file
/// whose shape reads back cleanly reads back too, save for what depends on the words themselves: a key that holds one
/// must differ from its mapping's other keys, checked file by file. A value on a comment line that is no word (a
/// phrase) has a placeholder too, which must stand in a comment. A shape that does not read back, or puts a placeholder
/// where it would be read differently (an anchor, alias or tag; a kustomization's apiVersion; a phrase in a scalar),
/// proves nothing: those files are read in full, and only the full read reports findings.
/// </summary>
public sealed class FileShapes
{
    /// <summary>Stands for a word without colons; <see cref="ColonWord"/> for one with (an image, a host:port).</summary>
    private const char Word = '\uE000';

    private const string WordText = "\uE000";

    private const char ColonWordMark = '\uE001';

    private const string ColonWord = "\uE001:\uE001";

    /// <summary>Stands for a value on a comment line that is no word (`# {{ comment }}`): printable ASCII, spaces too. Read
    /// alike only in a comment, so a shape that has it anywhere else (a block scalar's line, say) proves nothing.</summary>
    private const char Phrase = '\uE002';

    private const string PhraseText = "\uE002";

    /// <summary>A longer value stays in the shape as text: the bound keeps a key that holds values short (see <see cref="KeyRoom"/>).</summary>
    private const int LongestWord = 128;

    /// <summary>How far a key that holds values may reach in its shape, from its start to its value's. A reader looks for a
    /// key's ':' no further than 1,024 characters on; in a file the key is longer by its words, at most
    /// <see cref="LongestKey"/> characters in all, so the file's key stays within reach.</summary>
    internal const int KeyRoom = 512;

    private const int LongestKey = 256;

    /// <summary>Shapes kept per render: a fleet has few; a mesh of all different workloads stops adding at this many.</summary>
    private const int MostShapes = 4096;

    private static readonly SearchValues<char> Placeholders = SearchValues.Create([Word, ColonWordMark, Phrase]);

    private static readonly SearchValues<char> PhraseCharacters = SearchValues.Create(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).ToArray());

    private static readonly SearchValues<char> WordCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-:");

    private static readonly SearchValues<char> WordStarts = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/");

    private readonly ConcurrentDictionary<string, Shape> _shapes = new(StringComparer.Ordinal);

    private int _count;

    private int _read;

    /// <summary>How many shapes were read back in full so far.</summary>
    internal int ShapesRead => Volatile.Read(ref _read);

    /// <summary>True when <paramref name="content"/> certainly reads back as the full read-back
    /// (<see cref="BundleVerifier.VerifyFile"/>) requires; false when that is not proven (the full read decides).</summary>
    /// <param name="values">Where the templates' expressions wrote values into the text, in order.</param>
    public bool Proves(string content, IReadOnlyList<Range> values)
    {
        // A placeholder in the text itself would be taken for a word.
        if (content.AsSpan().ContainsAny(Placeholders)) return false;
        var buffer = ArrayPool<char>.Shared.Rent(content.Length);
        try
        {
            var words = new List<Range>(values.Count);
            var at = new List<int>(values.Count);
            var length = 0;
            var copied = 0;
            foreach (var value in values)
            {
                // Places out of order or outside the text are none the renderer gives: nothing is proven with them.
                var (start, end) = (value.Start.GetOffset(content.Length), value.End.GetOffset(content.Length));
                if (start < copied || end < start || end > content.Length) return false;
                var count = end - start;
                if (Placeholder(content, start, count) is not { } placeholder) continue;
                content.AsSpan(copied, start - copied).CopyTo(buffer.AsSpan(length));
                length += start - copied;
                at.Add(length);
                placeholder.CopyTo(buffer.AsSpan(length));
                length += placeholder.Length;
                words.Add(value);
                copied = start + count;
            }
            content.AsSpan(copied).CopyTo(buffer.AsSpan(length));
            length += content.Length - copied;
            var text = buffer.AsSpan(0, length);
            if (!_shapes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var shape))
            {
                var key = text.ToString();
                shape = Read(key, at);
                Interlocked.Increment(ref _read);
                if (Volatile.Read(ref _count) < MostShapes && _shapes.TryAdd(key, shape)) Interlocked.Increment(ref _count);
            }
            return shape.Holds(content, words);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether a name or value read from a shape holds a placeholder.</summary>
    internal static bool HoldsValue(string? text) => text is not null && text.AsSpan().ContainsAny(Placeholders);

    /// <summary>The placeholder of a value that is one plain word (colons only between its parts), or of a phrase on a
    /// comment line; else null: the value stays in the shape as text.</summary>
    private static string? Placeholder(string content, int start, int length)
    {
        var value = content.AsSpan(start, length);
        if (value.Length == 0) return null;
        if (value.Length <= LongestWord && WordStarts.Contains(value[0]) && !value.ContainsAnyExcept(WordCharacters))
        {
            if (!value.Contains(':')) return WordText;
            if (value[^1] != ':' && !value.Contains("::", StringComparison.Ordinal)) return ColonWord;
        }
        var line = content.AsSpan(0, start);
        line = line[(line.LastIndexOf('\n') + 1)..].TrimStart(' ');
        return line.StartsWith('#') && !value.ContainsAnyExcept(PhraseCharacters) ? PhraseText : null;
    }

    /// <summary>Whether a scalar read from a shape holds a phrase's placeholder: a phrase is read alike only in a comment.</summary>
    internal static bool HoldsPhrase(string text) => text.Contains(Phrase);

    /// <summary>Reads a shape back in full; <paramref name="at"/> is where each placeholder starts in it.</summary>
    private static Shape Read(string shape, List<int> at)
    {
        var reading = new Reading(shape, at);
        var found = new DiagnosticBag();
        try
        {
            new BundleVerifier.Walk(new YamlEvents(shape), "", _ => SourceLocation.WholeFile(""), found, reading).Stream();
        }
        catch (Exception)
        {
            // Whatever the full read would make of it, the full read will say: the shape proves nothing.
            return Shape.Unfit;
        }
        return found.HasErrors || reading.IsUnfit ? Shape.Unfit : new Shape(reading.Checks.ToArray());
    }

    /// <summary>What the walk of a shape hands over: what makes it unfit, and the mappings with keys that hold words.</summary>
    internal sealed class Reading(string shape, List<int> at)
    {
        public bool IsUnfit { get; private set; }

        public List<KeyCheck> Checks { get; } = [];

        public void Unfit() => IsUnfit = true;

        /// <summary>A mapping's keys: <paramref name="text"/> written as text, <paramref name="withWords"/> holding words.</summary>
        public void Keys(HashSet<string> text, List<Scalar> withWords)
        {
            var keys = new (string Key, int First)[withWords.Count];
            for (var i = 0; i < withWords.Count; i++)
            {
                var key = withWords[i];
                // The key's words are the placeholders that start within it, in order.
                var first = at.BinarySearch(key.Start.Index);
                if (first < 0) first = ~first;
                var words = Count(key.Value);
                // The reader's marks and ours must agree: the key's own text holds exactly these placeholders.
                var written = shape.AsSpan(key.Start.Index, key.End.Index - key.Start.Index);
                if (words <= 0 || first + words > at.Count || at[first + words - 1] >= key.End.Index || Count(written) != words)
                {
                    IsUnfit = true;
                }
                keys[i] = (key.Value, first);
            }
            Checks.Add(new KeyCheck([.. text], keys));
        }
    }

    /// <summary>The word placeholders in a key, as read from a shape or as written in it; -1 when one is not whole.</summary>
    private static int Count(ReadOnlySpan<char> key)
    {
        var words = 0;
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == Word)
            {
                words++;
            }
            else if (key[i] == ColonWordMark)
            {
                if (!key[i..].StartsWith(ColonWord, StringComparison.Ordinal)) return -1;
                words++;
                i += ColonWord.Length - 1;
            }
        }
        return words;
    }

    /// <summary>A mapping whose keys hold words: its keys written as text, and each other key as read from the shape, with
    /// the index of its first word.</summary>
    internal sealed record KeyCheck(HashSet<string> Text, (string Key, int First)[] WithWords);

    /// <summary>A shape read back: the key checks each of its files needs; unfit when it proves nothing.</summary>
    private sealed class Shape(KeyCheck[]? checks)
    {
        public static readonly Shape Unfit = new(null);

        /// <summary>Whether the file's keys that hold words are each unique in their mapping (and short enough).</summary>
        public bool Holds(string content, List<Range> words)
        {
            if (checks is null) return false;
            foreach (var check in checks)
            {
                var keys = new string[check.WithWords.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    var (key, first) = check.WithWords[i];
                    var value = Expand(key, first, content, words);
                    if (value.Length > LongestKey || check.Text.Contains(value)) return false;
                    for (var j = 0; j < i; j++)
                    {
                        if (keys[j] == value) return false;
                    }
                    keys[i] = value;
                }
            }
            return true;
        }

        /// <summary>A key read from the shape with the file's words in place of its placeholders.</summary>
        private static string Expand(string key, int first, string content, List<Range> words)
        {
            if (key.Length == 1) return content[words[first]];
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < key.Length; i++)
            {
                if (key[i] is Word or ColonWordMark)
                {
                    text.Append(content.AsSpan()[words[first++]]);
                    if (key[i] == ColonWordMark) i += ColonWord.Length - 1;
                }
                else
                {
                    text.Append(key[i]);
                }
            }
            return text.ToString();
        }
    }
}
