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
internal sealed class TracedOutput(TemplateContext context, Func<string, string> displayPath) : IScriptOutput
{
    private readonly StringBuilder _text = new();
    private readonly List<SourceLocation?> _lines = [null];
    private SourceLocation? _cursor;

    /// <summary>Per output line (index 0 is line 1): where in a template it was written, when known.</summary>
    public IReadOnlyList<SourceLocation?> Lines => _lines;

    public void Write(string text, int offset, int count)
    {
        _text.Append(text, offset, count);
        var raw = context.CurrentNode is ScriptRawStatement { Span: var span } && span.Start.Offset <= offset && offset <= span.End.Offset + 1 ? span : (SourceSpan?)null;
        string? file = null;
        int line = 0, column = 0;
        if (raw is { } s)
        {
            file = displayPath(s.FileName ?? "template");
            (line, column) = (s.Start.Line + 1, s.Start.Column + 1);
            for (var i = s.Start.Offset; i < offset; i++)
            {
                (line, column) = text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
            }
        }
        for (var i = offset; i < offset + count; i++)
        {
            if (text[i] == '\n')
            {
                _lines.Add(null);
            }
            else if (_lines[^1] is null && !char.IsWhiteSpace(text[i]))
            {
                _lines[^1] = file is null ? _cursor : new SourceLocation(file, line, column);
            }
            if (file is not null)
            {
                (line, column) = text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
            }
        }
        if (file is not null) _cursor = new SourceLocation(file, line, column);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => _text.ToString();
}
