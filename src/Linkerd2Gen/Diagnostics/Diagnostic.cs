namespace Linkerd2Gen.Diagnostics;

public enum Severity { Error, Warning, Info }

/// <summary>A 1-based position in a source file; Line 0 means "the file as a whole".</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation WholeFile(string file) => new(file, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>One finding. Diagnostics are data, never exceptions: every stage adds to a bag and goes on.</summary>
public sealed record Diagnostic(string Code, Severity Severity, string Message, SourceLocation Location, string? Hint = null)
{
    public bool IsError => Severity == Severity.Error;

    public override string ToString()
    {
        var level = Severity.ToString().ToLowerInvariant();
        var hint = Hint is null ? "" : $" (hint: {Hint})";
        return $"{Location}: {level} {Code}: {Message}{hint}";
    }
}

/// <summary>Collects diagnostics in the order they are found; sorts them for reporting.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    /// <summary>A checkpoint: <c>using var scope = diagnostics.Scope(); … if (scope.HasErrors)</c> asks only about what
    /// was added since.</summary>
    public DiagnosticScope Scope() => new(this, _items.Count);
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>Stable order: file, line, column, code, message; duplicates removed.</summary>
    public IReadOnlyList<Diagnostic> Sorted() => _items
        .Distinct()
        .OrderBy(d => d.Location.File, StringComparer.Ordinal)
        .ThenBy(d => d.Location.Line)
        .ThenBy(d => d.Location.Column)
        .ThenBy(d => d.Code, StringComparer.Ordinal)
        .ThenBy(d => d.Message, StringComparer.Ordinal)
        .ToList();
}

/// <summary>The diagnostics added to a bag since a checkpoint (<see cref="DiagnosticBag.Scope"/>).</summary>
public readonly struct DiagnosticScope(DiagnosticBag bag, int start) : IDisposable
{
    public IEnumerable<Diagnostic> Items => bag.Items.Skip(start);
    public bool HasErrors => Items.Any(d => d.IsError);

    public void Dispose()
    {
    }
}
