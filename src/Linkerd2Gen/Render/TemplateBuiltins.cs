using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Linkerd2Gen.Render;

/// <summary>
/// Scriban's builtins as a template of ours sees them: its function groups (string, array, math, …) but `date` (a clock
/// would make the output depend on when it is rendered), and our traced `include`. Each group is set up the first time a
/// template of the context names it: Scriban's own builtins object sets up every group at once, reflecting over some
/// 300 functions, which took 20 ms of every run of the NativeAOT binary, and the built-in templates use `string` alone.
/// </summary>
internal sealed class TemplateBuiltins : ScriptObject
{
    /// <summary>Each group made once a process, as Scriban's defaults make it; a context gets a deep copy of its own (as
    /// each of Scriban's builtins objects does), so what one template does to a group is not seen by another.</summary>
    private static readonly Dictionary<string, Lazy<ScriptObject>> Groups = new(StringComparer.Ordinal)
    {
        ["array"] = new(() => new ArrayFunctions()),
        ["html"] = new(() => new HtmlFunctions()),
        ["math"] = new(() => new MathFunctions()),
        ["object"] = new(() => new ObjectFunctions()),
        ["regex"] = new(() => new RegexFunctions()),
        ["string"] = new(() => new StringFunctions()),
        ["timespan"] = new(() => new TimeSpanFunctions()),
    };

    /// <summary>The names of the function groups, each set up when first named (the other builtins are set at once, and
    /// all are read-only, as Scriban's are).</summary>
    public static IEnumerable<string> GroupNames => Groups.Keys;

    public TemplateBuiltins()
    {
        SetValue("empty", EmptyScriptObject.Default, true);
        SetValue("blank", EmptyScriptObject.Default, true);
        SetValue("include", new TracedInclude(), true); // a partial's lines are traced to the partial
        SetValue("include_join", new IncludeJoinFunction(), true);
    }

    /// <summary>Sets up, ahead of the first render, the one group the built-in templates use.</summary>
    public static void Prepare() => _ = Groups["string"].Value;

    /// <summary>The group of that name, copied into this context's builtins the first time it is asked for (or checked,
    /// or written over, which finds it there, read-only).</summary>
    private void Ensure(string member)
    {
        if (Groups.TryGetValue(member, out var group) && !base.Contains(member)) SetValue(member, group.Value.Clone(true), true);
    }

    public override bool Contains(string member)
    {
        Ensure(member);
        return base.Contains(member);
    }

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        Ensure(member);
        return base.TryGetValue(context, span, member, out value);
    }

    public override object? this[string key]
    {
        get
        {
            Ensure(key);
            return base[key];
        }
        set
        {
            Ensure(key);
            base[key] = value;
        }
    }

    public override bool CanWrite(string member)
    {
        Ensure(member);
        return base.CanWrite(member);
    }

    public override bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly)
    {
        Ensure(member);
        return base.TrySetValue(context, span, member, value, readOnly);
    }
}
