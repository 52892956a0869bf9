using Scriban;
using Scriban.Functions;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Linkerd2Gen.Render;

/// <summary>
/// Scriban's `include`, writing the partial straight into the file's <see cref="TracedOutput"/>. Scriban's own renders a
/// partial into an output of its own and writes the text back as one value, so every line a partial wrote (an override
/// of _labels.sbn, say) was blamed on the line of its include. An include whose text is used as a value (assigned,
/// piped) or indented by the line it stands on is left to Scriban's own, which does exactly that.
/// </summary>
internal sealed class TracedInclude : IScriptCustomFunction
{
    private static readonly IncludeFunction Scribans = new();

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
    {
        // (An include at the start of its line has the empty indent: nothing to indent. Named arguments are Scriban's to fetch.)
        if (context.Output is not TracedOutput || context.CurrentIndent is { Length: > 0 } || callerContext is not ScriptFunctionCall { Parent: ScriptExpressionStatement } call
            || call.Arguments.Any(a => a is ScriptNamedArgument) || arguments.Count == 0 || context.ObjectToString(arguments[0]) is not { Length: > 0 } name)
        {
            return Scribans.Invoke(context, callerContext, arguments, blockStatement);
        }
        // What Scriban's include does (its loader names the template or refuses it; parsed once per context), but rendered
        // into the current output.
        if (context.GetTemplatePathFromName(name, call) is not { } path) return null;
        var template = context.GetOrCreateTemplate(path, call);
        var previousIndent = context.CurrentIndent;
        context.EnterRecursive(call);
        context.CurrentIndent = null;
        context.PushLocal();
        try
        {
            context.SetValue(ScriptVariable.Arguments, arguments, true, true);
            if (previousIndent is not null) context.ResetPreviousNewLine();
            if (template.SourceFilePath is { } file) context.PushSourceFile(file);
            try
            {
                if (template.Page is { } page && context.Evaluate(page) is { } value && context.EnableOutput) context.Write(page.Span, value);
            }
            finally
            {
                if (template.SourceFilePath is not null) context.PopSourceFile();
            }
        }
        finally
        {
            context.PopLocal();
            context.CurrentIndent = previousIndent;
            context.ExitRecursive(call);
        }
        // Written already: nothing for the include statement to write.
        return null;
    }

    public int RequiredParameterCount => Scribans.RequiredParameterCount;

    public int ParameterCount => Scribans.ParameterCount;

    public ScriptVarParamKind VarParamKind => Scribans.VarParamKind;

    public Type ReturnType => Scribans.ReturnType;

    public ScriptParameterInfo GetParameterInfo(int index) => Scribans.GetParameterInfo(index);

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));
}
