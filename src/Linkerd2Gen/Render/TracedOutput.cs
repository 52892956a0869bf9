using System.Text;
using Linkerd2Gen.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Linkerd2Gen.Render;

/// <summary>
/// The output of one template, remembering for each output line the template file:line:column that wrote its first
/// visible character, so a rendered file that does not parse back is reported where the template wrote it.
/// Raw template text is written from the template's own source (so its offset gives the exact line); a value written
/// by an expression is placed where the template text before it ended.
/// </summary>
/// <param name="text">Where the text goes: the caller's buffer, empty, reused from file to file.</param>
internal sealed class TracedOutput(TemplateContext context, StringBuilder text, Func<string?, string> displayPath, Action checkBudget) : IScriptOutput
{
    private readonly StringBuilder _text = text;
    private readonly List<SourceLocation?> _lines = [null];

    /// <summary>Where the last raw text written ended: the template source, the raw block's span, the position after it.</summary>
    private (string Source, SourceSpan Span, int Position)? _rawEnd;

    /// <summary>Per output line (index 0 is line 1): where in a template it was written, when known.</summary>
    public IReadOnlyList<SourceLocation?> Lines => _lines;

    /// <summary>Writes so far: the budget is checked at the first and every 64th (it reads the clock, and templates write
    /// a file in hundreds of pieces; a loop that writes nothing is stopped by Scriban's own cancellation check).</summary>
    private int _writes;

    public void Write(string text, int offset, int count)
    {
        if (_writes++ % 64 == 0) checkBudget();
        _text.Append(text, offset, count);
        var raw = context.CurrentNode is ScriptRawStatement { Span: var span } && span.Start.Offset <= offset && offset <= span.End.Offset + 1 ? span : (SourceSpan?)null;
        var end = offset + count;
        for (var i = offset; i < end;)
        {
            if (_lines[^1] is null)
            {
                while (i < end && text[i] != '\n' && char.IsWhiteSpace(text[i])) i++;
                if (i < end && text[i] != '\n')
                {
                    _lines[^1] = raw is { } r ? Locate(text, r, i) : _rawEnd is { } last ? Locate(last.Source, last.Span, last.Position) : null;
                }
            }
            var newline = text.IndexOf('\n', i, end - i);
            if (newline < 0) break;
            _lines.Add(null);
            i = newline + 1;
        }
        if (raw is { } written) _rawEnd = (text, written, end);
    }

    /// <summary>The template file:line:column of <paramref name="position"/> in a raw block's template source.</summary>
    private SourceLocation Locate(string source, SourceSpan span, int position)
    {
        var before = source.AsSpan(span.Start.Offset, position - span.Start.Offset);
        var newlines = before.Count('\n');
        var column = newlines == 0 ? span.Start.Column + 1 + before.Length : before.Length - before.LastIndexOf('\n');
        return new SourceLocation(displayPath(span.FileName), span.Start.Line + 1 + newlines, column);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _text.ToString();
}
