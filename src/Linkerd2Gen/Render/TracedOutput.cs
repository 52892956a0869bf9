using System.Text;
using Linkerd2Gen.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Linkerd2Gen.Render;

/// <summary>
/// The output of one template. Traced, it remembers for each output line the template file:line:column that wrote its
/// first visible character, so a rendered file that does not parse back is reported where the template wrote it.
/// Raw template text is written from the template's own source (so its offset gives the exact line); a value written
/// by an expression is placed where the template text before it ended. A render is traced only to locate a finding:
/// the same template and model write the same text again, and tracing every line of a bundle cost a mark per line.
/// </summary>
/// <param name="text">Where the text goes: the caller's buffer, empty, reused from file to file.</param>
/// <param name="displayPath">How a template is named in a location; null: the output is not traced.</param>
/// <param name="values">Where the values written by expressions start and end in the text (see <see cref="WroteValue"/>):
/// the caller's list, empty, reused from file to file.</param>
internal sealed class TracedOutput(TemplateContext context, StringBuilder text, List<Range> values, Func<string?, string>? displayPath, Action checkBudget) : IScriptOutput
{
    private readonly StringBuilder _text = text;
    private readonly Marks? _lines = displayPath is null ? null : new(displayPath);

    /// <summary>The length of the text so far.</summary>
    public int Length => _text.Length;

    /// <summary>An expression's value was written from <paramref name="start"/> to the end of the text so far.</summary>
    public void WroteValue(int start)
    {
        if (_text.Length > start) values.Add(start.._text.Length);
    }

    /// <summary>Where the last raw text written ended.</summary>
    private Mark? _rawEnd;

    /// <summary>Per output line (index 0 is line 1): where in a template it was written, when known (traced only).</summary>
    public IReadOnlyList<SourceLocation?> Lines => _lines ?? throw new InvalidOperationException("the output is not traced");

    /// <summary>Where a line's first visible character came from: a position in a template's source, after the start of
    /// the raw block that holds it.</summary>
    private readonly record struct Mark(string Source, string? FileName, TextPosition Block, int Position);

    /// <summary>The lines' marks, turned into file:line:column only when one is asked for: only a file that fails to
    /// parse back ever needs one, and counting the template's lines for each of a bundle's lines cost more than writing them.</summary>
    private sealed class Marks(Func<string?, string> displayPath) : IReadOnlyList<SourceLocation?>
    {
        private readonly List<Mark?> _marks = [null];

        public int Count => _marks.Count;

        public Mark? Last { get => _marks[^1]; set => _marks[^1] = value; }

        public void NextLine() => _marks.Add(null);

        public SourceLocation? this[int index] => _marks[index] is { } mark ? Locate(mark) : null;

        /// <summary>The template file:line:column of a mark's position in its raw block's template source.</summary>
        private SourceLocation Locate(Mark mark)
        {
            var (source, fileName, block, position) = mark;
            var before = source.AsSpan(block.Offset, position - block.Offset);
            var newlines = before.Count('\n');
            var column = newlines == 0 ? block.Column + 1 + before.Length : before.Length - before.LastIndexOf('\n');
            return new SourceLocation(displayPath(fileName), block.Line + 1 + newlines, column);
        }

        public IEnumerator<SourceLocation?> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Writes so far: the budget is checked at the first and every 64th (it reads the clock, and templates write
    /// a file in hundreds of pieces; a loop that writes nothing is stopped by Scriban's own cancellation check).</summary>
    private int _writes;

    public void Write(string text, int offset, int count)
    {
        if (_writes++ % 64 == 0) checkBudget();
        _text.Append(text, offset, count);
        if (_lines is null) return;
        var raw = context.CurrentNode is ScriptRawStatement { Span: var span } && span.Start.Offset <= offset && offset <= span.End.Offset + 1 ? span : (SourceSpan?)null;
        var end = offset + count;
        for (var i = offset; i < end;)
        {
            if (_lines.Last is null)
            {
                while (i < end && text[i] != '\n' && char.IsWhiteSpace(text[i])) i++;
                if (i < end && text[i] != '\n')
                {
                    _lines.Last = raw is { } r ? new Mark(text, r.FileName, r.Start, i) : _rawEnd;
                }
            }
            var newline = text.IndexOf('\n', i, end - i);
            if (newline < 0) break;
            _lines.NextLine();
            i = newline + 1;
        }
        if (raw is { } written) _rawEnd = new Mark(text, written.FileName, written.Start, end);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _text.ToString();
}
