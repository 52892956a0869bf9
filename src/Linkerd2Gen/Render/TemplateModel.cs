using System.Collections;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Linkerd2Gen.Model;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Linkerd2Gen.Render;

/// <summary>
/// What the templates may read of the resolved model: every public property of these types (and of the types they
/// hold), described by source-generated JSON metadata. Templates read members through it, never through reflection,
/// so a NativeAOT build renders the same bytes as the JIT build.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ResolvedMesh))]
internal sealed partial class TemplateModelJson : JsonSerializerContext;

/// <summary>The one template context of a render: members of model objects are read through <see cref="TemplateModelJson"/>.</summary>
internal sealed class TemplateModelContext(ScriptObject builtins) : TemplateContext(builtins)
{
    /// <summary>Every value an expression writes (`{{ x | y }}`, not the template's own text) is marked where it lands in
    /// the file: the read-back checks a file's shape once and each value alone (see Verify.FileShapes).</summary>
    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (Output is not TracedOutput output) return base.Write(span, textAsObject);
        var start = output.Length;
        base.Write(span, textAsObject);
        output.WroteValue(start);
        return this;
    }

    protected override IObjectAccessor GetMemberAccessorImpl(object target)
    {
        if (TemplateModelJson.Default.GetTypeInfo(target.GetType()) is { Kind: JsonTypeInfoKind.Object } info)
        {
            return new MetadataAccessor(info);
        }
        // Scriban's own objects, maps, lists and scalars need no reflection.
        if (target is IScriptObject or IDictionary or IList or string or bool or Enum || target.GetType().IsPrimitive)
        {
            return base.GetMemberAccessorImpl(target)!;
        }
        throw new InvalidOperationException($"templates cannot read the members of {target.GetType().Name}: it is not part of the template model");
    }

    /// <summary>A model type's properties, named as Scriban names members (snake_case), read by generated getters.</summary>
    private sealed class MetadataAccessor(JsonTypeInfo info) : IObjectAccessor
    {
        private readonly Dictionary<string, Func<object, object?>> _getters = info.Properties
            .Where(p => p.Get is not null)
            .ToDictionary(p => StandardMemberRenamer.Rename(p.Name), p => p.Get!, StringComparer.Ordinal);

        public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => _getters.Count;

        public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => _getters.Keys;

        public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) => _getters.ContainsKey(member);

        public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value)
        {
            value = _getters.TryGetValue(member, out var get) ? get(target) : null;
            return get is not null;
        }

        public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) => false;

        public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value)
        {
            value = null;
            return false;
        }

        public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) => false;

        public bool HasIndexer => false;

        public Type? IndexType => null;
    }
}

/// <summary>A filter of ours (`y`, `json`, `yaml`), called directly: Scriban's wrapper of a generic delegate calls it
/// through reflection (Delegate.DynamicInvoke), once per scalar of every file.</summary>
internal sealed class TemplateFilter(int parameters, Func<TemplateContext, Scriban.Syntax.ScriptNode?, ScriptArray, object?> call) : IScriptCustomFunction
{
    public int RequiredParameterCount => parameters;

    public int ParameterCount => parameters;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

    public Type ReturnType => typeof(string);

    /// <summary>Asked by Scriban for every argument of every call: described once.</summary>
    private readonly ScriptParameterInfo[] _parameters = Enumerable.Range(0, parameters).Select(i => new ScriptParameterInfo(typeof(object), $"arg{i}")).ToArray();

    public ScriptParameterInfo GetParameterInfo(int index) => index < _parameters.Length ? _parameters[index] : new(typeof(object), $"arg{index}");

    public object? Invoke(TemplateContext context, Scriban.Syntax.ScriptNode? callerContext, ScriptArray arguments, Scriban.Syntax.ScriptBlockStatement? blockStatement) =>
        call(context, callerContext, arguments);

    public ValueTask<object?> InvokeAsync(TemplateContext context, Scriban.Syntax.ScriptNode? callerContext, ScriptArray arguments, Scriban.Syntax.ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));
}
