using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Write;

/// <summary>
/// One cluster's bundle folder changed as a transaction. Its state lives beside the bundle, in the tool's own folder
/// &lt;out&gt;/.linkerd2gen/ (created with a .gitignore that ignores it all; never used if someone else's):
/// &lt;cluster&gt;.lock (held while anything reads or writes the bundle), &lt;cluster&gt;.staging/ (new and old files) and
/// &lt;cluster&gt;.journal (the commit point). New files are staged first; the journal is then written and renamed into
/// place; only then are files moved in (each old one into staging, so a failure rolls back; a bundle folder that is not
/// there yet is the staged folder, moved in by one rename). A run killed before the
/// commit point leaves the old bundle, and the next run discards its staging; a run killed after it leaves a journal,
/// and the next run that opens the bundle (render, --check, diff) completes it first. So the folder is always the
/// complete old bundle or the complete new one by the time anything reads it.
/// </summary>
public sealed class WriteTransaction : IDisposable
{
    public const string StateFolder = ".linkerd2gen";
    private const string Marker = "# linkerd2gen keeps its lock, journal and staging files here while it writes bundles.\n*\n";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _lock;
    private readonly string _bundle;
    private readonly string _staging;
    private readonly string _journal;

    private WriteTransaction(FileStream @lock, string bundle, string staging, string journal)
    {
        _lock = @lock;
        _bundle = bundle;
        _staging = staging;
        _journal = journal;
    }

    public sealed record Operation(string Path, bool Delete);

    /// <summary>Where the new files are staged, and where the old ones they replace are kept until the end (each in the
    /// bundle's layout).</summary>
    private string StagedNew => Path.Combine(_staging, "new");
    private string StagedOld => Path.Combine(_staging, "old");

    /// <summary>Takes the bundle's lock (waiting up to <paramref name="wait"/> for another run), then completes or discards
    /// an interrupted run. Null with a diagnostic when the lock or the recovery fails.</summary>
    public static WriteTransaction? Open(string outRoot, string cluster, DiagnosticBag diagnostics, TimeSpan? wait = null)
    {
        var bundle = Path.Combine(outRoot, cluster);
        var state = Path.Combine(outRoot, StateFolder);
        var at = SourceLocation.WholeFile(bundle);
        var lockPath = Path.Combine(state, cluster + ".lock");
        var deadline = Stopwatch.StartNew();
        FileStream? handle = null;
        try
        {
            if (!PrepareStateFolder(state, diagnostics)) return null;
            while (handle is null)
            {
                try
                {
                    // FileShare.None is an exclusive flock on Unix: the kernel drops it when the holder dies, even by kill -9.
                    handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                // Held by another run (the file is there: a lock file that cannot be created is a write failure).
                catch (IOException) when (File.Exists(lockPath) && deadline.Elapsed < (wait ?? TimeSpan.FromSeconds(10)))
                {
                    Thread.Sleep(50);
                }
                catch (IOException) when (File.Exists(lockPath))
                {
                    diagnostics.Add(DiagnosticCatalog.OutputLocked(at, lockPath));
                    return null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The output folder cannot be written (its permissions, a full or read-only file system): nothing was.
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed(at, e.Message));
            return null;
        }
        var transaction = new WriteTransaction(handle, bundle, Path.Combine(state, cluster + ".staging"), Path.Combine(state, cluster + ".journal"));
        if (!transaction.Recover(diagnostics))
        {
            transaction.Dispose();
            return null;
        }
        return transaction;
    }

    /// <summary>The tool's state folder: created with its marker, refused if it exists without it (someone else's).</summary>
    private static bool PrepareStateFolder(string state, DiagnosticBag diagnostics)
    {
        var marker = Path.Combine(state, ".gitignore");
        if (File.Exists(state) || (Directory.Exists(state) && (!File.Exists(marker) || File.ReadAllText(marker) != Marker)))
        {
            diagnostics.Add(DiagnosticCatalog.StateFolderNotOurs(SourceLocation.WholeFile(state)));
            return false;
        }
        Directory.CreateDirectory(state);
        if (!File.Exists(marker)) File.WriteAllText(marker, Marker, Utf8);
        return true;
    }

    /// <summary>Completes a run that reached its commit point, or discards one that did not.</summary>
    private bool Recover(DiagnosticBag diagnostics)
    {
        var at = SourceLocation.WholeFile(_bundle);
        try
        {
            if (File.Exists(_journal))
            {
                var operations = JsonSerializer.Deserialize(File.ReadAllText(_journal), JournalJson.Default.ListOperation) ?? [];
                if (!MoveInWhole(operations))
                {
                    foreach (var op in operations) RollForward(op);
                }
                Cleanup();
                diagnostics.Add(DiagnosticCatalog.InterruptedWriteCompleted(at));
            }
            else if (Directory.Exists(_staging) || File.Exists(_journal + ".tmp"))
            {
                Cleanup();
                diagnostics.Add(DiagnosticCatalog.InterruptedWriteDiscarded(at));
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            diagnostics.Add(DiagnosticCatalog.InterruptedWriteStuck(at, e.Message));
            return false;
        }
    }

    /// <summary>Writes <paramref name="writes"/> and deletes <paramref name="deletes"/> (paths relative to the bundle) as one
    /// change; on failure the bundle is as it was. Returns false with a diagnostic on failure.</summary>
    public bool Commit(IReadOnlyDictionary<string, string> writes, IReadOnlyList<string> deletes, DiagnosticBag diagnostics)
    {
        var at = SourceLocation.WholeFile(_bundle);
        var operations = writes.Keys.Select(p => new Operation(p, false)).Concat(deletes.Select(p => new Operation(p, true))).ToList();
        if (operations.Count == 0) return true;
        try
        {
            StageAll(writes);
            var tmp = _journal + ".tmp";
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(operations, JournalJson.Default.ListOperation));
                Durability.Journal(file);
            }
            Faults.Step();
            File.Move(tmp, _journal); // the commit point
            Faults.Step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryCleanup();
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed(at, e.Message));
            return false;
        }

        var applied = new List<Operation>();
        var movedWhole = false;
        try
        {
            movedWhole = MoveInWhole(operations);
            if (movedWhole) Faults.Step();
            else
            {
                foreach (var op in operations)
                {
                    RollForward(op);
                    applied.Add(op);
                    Faults.Step();
                }
            }
            Cleanup();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Put back what was moved, newest first, then forget the journal: the old bundle is whole again.
            try
            {
                if (movedWhole) Directory.Move(_bundle, StagedNew);
                foreach (var op in Enumerable.Reverse(applied)) RollBack(op);
                Cleanup();
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(DiagnosticCatalog.InterruptedWriteStuck(at, again.Message));
                return false;
            }
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed(at, e.Message));
            return false;
        }
    }

    /// <summary>The new files, into staging/new: folders first, then the files on every core. Creating a file is the
    /// kernel's work, and much of a write's time (ext4 searches its bitmaps for a free inode, skipping recently deleted
    /// ones, on every create: on a disk that keeps deleting bundles, about 0.7 ms a file), so it scales with cores.</summary>
    private void StageAll(IReadOnlyDictionary<string, string> writes)
    {
        // Full paths: opening a relative one asks the kernel for the working folder every time.
        var root = Path.GetFullPath(StagedNew);
        var files = writes.Select(w => (Path: Path.Combine(root, w.Key), Content: w.Value)).ToList();
        foreach (var folder in files.Select(f => Path.GetDirectoryName(f.Path)).Distinct(StringComparer.Ordinal)) Directory.CreateDirectory(folder!);
        try
        {
            Parallel.ForEach(files, staged =>
            {
                // A handle, not a stream: the whole file is one write at offset 0 (a thousand files, each a few system calls
                // fewer), its bytes encoded into a pooled buffer.
                var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(Utf8.GetMaxByteCount(staged.Content.Length));
                try
                {
                    var length = Utf8.GetBytes(staged.Content, bytes);
                    // FileShare.None: an exclusive flock, which .NET takes without first asking the kernel what file system
                    // the file is on (it does ask, with fstatfs, for the shared lock of a file opened to write).
                    using var file = File.OpenHandle(staged.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    RandomAccess.Write(file, bytes.AsSpan(0, length), 0);
                    Durability.Staged(file);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
                }
                Faults.Step();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is IOException or UnauthorizedAccessException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    /// <summary>A bundle folder that is not there yet is the staged folder, moved in by one rename instead of one per file.
    /// Idempotent: once it is moved (or a file was moved in the usual way, creating the folder), it does nothing.</summary>
    private bool MoveInWhole(IReadOnlyList<Operation> operations)
    {
        var staged = StagedNew;
        if (Directory.Exists(_bundle) || !Directory.Exists(staged) || operations.Any(op => op.Delete)) return false;
        Directory.Move(staged, _bundle);
        return true;
    }

    /// <summary>Idempotent: the old file (if any, and not yet saved) into staging/old, the new one into place.</summary>
    private void RollForward(Operation op)
    {
        var target = Path.Combine(_bundle, op.Path);
        var old = Path.Combine(StagedOld, op.Path);
        var staged = Path.Combine(StagedNew, op.Path);
        if (op.Delete)
        {
            if (!File.Exists(target)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(old)!);
            File.Move(target, old, overwrite: true);
            RemoveEmptyParents(Path.GetDirectoryName(target)!);
            return;
        }
        if (!File.Exists(staged)) return; // moved already
        if (File.Exists(target) && !File.Exists(old))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(old)!);
            File.Move(target, old);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(staged, target, overwrite: true);
    }

    private void RollBack(Operation op)
    {
        var target = Path.Combine(_bundle, op.Path);
        var old = Path.Combine(StagedOld, op.Path);
        if (File.Exists(old))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(old, target, overwrite: true);
        }
        else if (!op.Delete && File.Exists(target))
        {
            File.Delete(target);
            RemoveEmptyParents(Path.GetDirectoryName(target)!);
        }
    }

    private void Cleanup()
    {
        if (Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
        if (File.Exists(_journal + ".tmp")) File.Delete(_journal + ".tmp");
        if (File.Exists(_journal)) File.Delete(_journal);
    }

    private void TryCleanup()
    {
        try
        {
            Cleanup();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was committed: the next run discards what is left.
        }
    }

    /// <summary>Removes folders of the bundle that pruning left empty (never the bundle folder itself).</summary>
    private void RemoveEmptyParents(string folder)
    {
        var root = Path.GetFullPath(_bundle);
        for (var f = Path.GetFullPath(folder); f.Length > root.Length && Directory.Exists(f) && !Directory.EnumerateFileSystemEntries(f).Any(); f = Path.GetDirectoryName(f)!)
        {
            Directory.Delete(f);
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// Fault injection for the tests: each step of a write (a file staged, the journal written, committed, each file moved)
    /// counts (files are staged on several threads at once, so which file is the N-th may differ from run to run);
    /// LINKERD2GEN_KILL_AT=N kills the process (SIGKILL) at the N-th, and <see cref="OnStep"/> may throw.
    /// </summary>
    internal static class Faults
    {
        private static readonly int KillAt = int.TryParse(Environment.GetEnvironmentVariable("LINKERD2GEN_KILL_AT"), out var n) ? n : 0;
        private static int _steps;
        private static readonly AsyncLocal<Action<int>?> Hook = new();
        private static readonly AsyncLocal<StrongBox<int>?> HookSteps = new();

        /// <summary>Called with the step number, in this async flow only; an IOException thrown here is an I/O error there.</summary>
        internal static Action<int>? OnStep
        {
            get => Hook.Value;
            set
            {
                Hook.Value = value;
                HookSteps.Value = value is null ? null : new StrongBox<int>(0);
            }
        }

        public static void Step()
        {
            if (KillAt > 0 && Interlocked.Increment(ref _steps) == KillAt) Process.GetCurrentProcess().Kill();
            if (Hook.Value is { } hook && HookSteps.Value is { } steps) hook(Interlocked.Increment(ref steps.Value));
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<WriteTransaction.Operation>))]
internal sealed partial class JournalJson : System.Text.Json.Serialization.JsonSerializerContext;
