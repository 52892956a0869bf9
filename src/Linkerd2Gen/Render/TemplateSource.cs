using System.Collections.Concurrent;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Yaml;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;
using Scriban;

namespace Linkerd2Gen.Render;

/// <summary>
/// Where templates come from: the ones embedded in the assembly (copied from templates/ at build), each
/// replaceable by a file of the same name in a user's --templates folder. Also serves `include`.
/// </summary>
public sealed class TemplateSource : ITemplateLoader
{
    private readonly string? _overrideDir;

    /// <summary>Parsed templates by the path they were parsed under: a display path (a file rendered from it) or a bare
    /// name (an `include` of it). Shared by the renderers of every thread (a Template is read-only once parsed), each
    /// parsed once.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Template>> _parsed = new(StringComparer.Ordinal);

    public TemplateSource(string? overrideDir = null) => _overrideDir = overrideDir;

    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(TemplateSource).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("templates/", StringComparison.Ordinal))
        .Select(n => n["templates/".Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Parses every override up front, so a broken or misnamed one is reported even when no file uses it.</summary>
    public void CheckOverrides(DiagnosticBag diagnostics)
    {
        if (_overrideDir is null || !Directory.Exists(_overrideDir)) return;
        foreach (var path in Directory.GetFiles(_overrideDir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!BuiltInNames.Contains(name))
            {
                diagnostics.Add(DiagnosticCatalog.UnknownTemplateOverride(SourceLocation.WholeFile(path), name, DidYouMean.Suggest(name, BuiltInNames)));
                continue;
            }
            try
            {
                Get(name, diagnostics);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Its permissions, a link that loops or leads nowhere, a device without end: the run stops here.
                diagnostics.Add(DiagnosticCatalog.TemplateUnreadable(SourceLocation.WholeFile(path), e.Message));
            }
        }
    }

    /// <summary>The path shown in template diagnostics: the override file, or templates/NAME.</summary>
    public string DisplayPath(string name) => _displayPaths.GetOrAdd(name, static (n, dir) =>
        dir is not null && File.Exists(Path.Combine(dir, n)) ? Path.Combine(dir, n) : $"templates/{n}", _overrideDir);

    /// <summary>Display paths by template name, decided once: the line tracer asks for one per rendered line.</summary>
    private readonly ConcurrentDictionary<string, string> _displayPaths = new(StringComparer.Ordinal);

    public string ReadText(string name)
    {
        if (_overrideDir is not null)
        {
            var path = Path.Combine(_overrideDir, name);
            if (File.Exists(path))
            {
                return TextFile.Read(path).Replace("\r\n", "\n");
            }
        }
        using var stream = typeof(TemplateSource).Assembly.GetManifestResourceStream($"templates/{name}")
            ?? throw new FileNotFoundException($"no template named {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>The parsed template, or the parse errors as diagnostics.</summary>
    public Template? Get(string name, DiagnosticBag diagnostics)
    {
        var template = Parsed(name, DisplayPath(name));
        if (!template.HasErrors) return template;
        foreach (var m in template.Messages)
        {
            diagnostics.Add(DiagnosticCatalog.TemplateError(Location(m.Span), m.Message));
        }
        return null;
    }

    private Template Parsed(string name, string path) =>
        _parsed.GetOrAdd(path, _ => new Lazy<Template>(() => Template.Parse(ReadText(name), path))).Value;

    /// <summary>Parses every template ahead of rendering (the pipeline does it on another core while the mesh files are
    /// read), the partials also as `include` parses them. Failures are left for <see cref="Get"/> and include to report.</summary>
    public void Prepare()
    {
        foreach (var name in BuiltInNames)
        {
            try
            {
                Parsed(name, DisplayPath(name));
                if (name.StartsWith('_')) Parsed(name, name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An override that cannot be read: reported where it is used.
            }
        }
    }

    /// <summary>Gives a new context the partials parsed so far, so that `include` (which caches per context) does not parse
    /// them again on every worker.</summary>
    internal void ShareIncludes(TemplateContext context)
    {
        foreach (var (path, parsed) in _parsed)
        {
            if (path.IndexOfAny(['/', '\\']) < 0 && parsed.IsValueCreated && !parsed.Value.HasErrors) context.CachedTemplates[path] = parsed.Value;
        }
    }

    public static SourceLocation Location(SourceSpan span) => new(span.FileName ?? "template", span.Start.Line + 1, span.Start.Column + 1);

    /// <summary>A span's location, an included template (parsed by its bare name) shown at its file.</summary>
    public SourceLocation Locate(SourceSpan span) => new(DisplayPathOf(span.FileName), span.Start.Line + 1, span.Start.Column + 1);

    /// <summary>The path shown for a span's file name: a template is parsed under its display path, an included one under
    /// its bare name.</summary>
    public string DisplayPathOf(string? fileName) =>
        fileName is { } f && f.IndexOfAny(['/', '\\']) < 0 ? DisplayPath(f) : fileName ?? "template";

    /// <summary>`include` reaches templates only, by file name: a built-in one or one in the --templates folder; never
    /// another file (no folders, no `..`, no absolute path).</summary>
    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        var plain = templateName.Length > 0 && templateName.IndexOfAny(['/', '\\']) < 0 && templateName is not ("." or "..");
        var known = plain && (BuiltInNames.Contains(templateName) || (_overrideDir is not null && File.Exists(Path.Combine(_overrideDir, templateName))));
        return known ? templateName : throw new IncludeRefusedException(callerSpan, templateName);
    }

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => ReadText(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new(ReadText(templatePath));
}

/// <summary>An `include` of something that is no template (see <see cref="TemplateSource"/>).</summary>
public sealed class IncludeRefusedException(SourceSpan span, string name) : ScriptRuntimeException(span, $"include '{name}' is refused")
{
    public string Name { get; } = name;
}
