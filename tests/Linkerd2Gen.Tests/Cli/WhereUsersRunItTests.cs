using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Yaml;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Cli;

/// <summary>
/// The integrations as their hosts run them: the Argo CD plugin's generate command (in a copy of an Application's
/// folder, with Argo CD's environment) and the pre-commit hooks (by pre-commit itself, in a Git repository of a user).
/// </summary>
[Collection("processes")]
public class WhereUsersRunItTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "linkerd2gen.dll");

    // A `linkerd2gen` on PATH: this build, as an installed tool would run it.
    private static string ToolOnPath(TempDir dir)
    {
        var bin = dir.Combine("bin");
        var tool = dir.Write("bin/linkerd2gen", $"#!/bin/sh\nexec dotnet '{Dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
    }

    private static (int Code, string Out, string Err) Run(string command, IEnumerable<string> args, string workdir, IDictionary<string, string> env) =>
        Processes.Run(command, args, workdir, env);

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    // The plugin's generate command, run as Argo CD's CMP server runs it: in the Application's folder, with ARGOCD_ENV_*.
    private static (int Code, string Out, string Err) Generate(string appDir, Dictionary<string, string> env, TempDir dir)
    {
        var plugin = ReadBack.Documents(File.ReadAllText(Path.Combine(Repo.Root, "integrations", "argocd", "plugin.yaml"))).Single();
        Assert.Equal("ConfigManagementPlugin", plugin.Str("kind"));
        var command = ((YamlSequenceNode)plugin.At("spec", "generate", "command")!).Children.Select(c => c.ToString()).ToList();
        var args = ((YamlSequenceNode)plugin.At("spec", "generate", "args")!).Children.Select(c => c.ToString());
        env["PATH"] = ToolOnPath(dir);
        env["ARGOCD_APP_NAME"] = "mesh";
        env["ARGOCD_APP_NAMESPACE"] = "argocd";
        return Run(command[0], [.. command.Skip(1), .. args], appDir, env);
    }

    [KubectlFact]
    public void The_argocd_plugin_generates_what_kustomize_builds_from_the_committed_bundle()
    {
        using var dir = new TempDir();
        // Linked clusters: both mesh files checked together, one cluster's bundle printed.
        CopyFolder(Repo.Example("multicluster"), dir.Combine("app"));
        var (code, stdout, stderr) = Generate(dir.Combine("app"), new() { ["ARGOCD_ENV_MESH_FILES"] = "east.yaml west.yaml", ["ARGOCD_ENV_CLUSTER"] = "east" }, dir);
        Assert.True(code == 0, stderr);
        Kubectl.AssertSameObjects(Kubectl.Kustomize(Path.Combine(Repo.Root, "out", "east")).Stdout, stdout);

        // The default mesh.yaml, with the team's own manifests as a namespace's base inside the Application's folder.
        CopyFolder(Repo.Example("emojivoto-base"), dir.Combine("base-app"));
        (code, stdout, stderr) = Generate(dir.Combine("base-app"), [], dir);
        Assert.True(code == 0, stderr);
        Kubectl.AssertSameObjects(Kubectl.Kustomize(Path.Combine(Repo.Root, "out", "emojivoto-base")).Stdout, stdout);
    }

    [Fact]
    public void The_argocd_plugin_fails_the_sync_on_an_error_and_prints_no_manifests()
    {
        using var dir = new TempDir();
        dir.Write("app/mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    inject: enable\n");
        var (code, stdout, stderr) = Generate(dir.Combine("app"), [], dir);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("mesh.yaml:7:13: error L2G0103", stderr);
    }

    [PreCommitFact]
    public void The_pre_commit_hooks_pass_on_current_bundles_and_fail_on_stale_ones()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["PRE_COMMIT_HOME"] = dir.Combine("pre-commit-home"), ["PATH"] = ToolOnPath(dir), ["GIT_CONFIG_GLOBAL"] = "/dev/null" };
        string[] identity = ["-c", "user.email=ci@example.com", "-c", "user.name=ci"];
        // The hooks' repository: this working tree as one commit (pre-commit clones a repository at a revision).
        var hooks = dir.Combine("hooks");
        var (_, files, _) = Run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], Repo.Root, env);
        foreach (var file in files.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Path.Combine(Repo.Root, f))))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(hooks, file))!);
            File.Copy(Path.Combine(Repo.Root, file), Path.Combine(hooks, file));
        }
        Assert.Equal(0, Run("git", ["init", "-q"], hooks, env).Code);
        Assert.Equal(0, Run("git", ["add", "-A"], hooks, env).Code);
        Assert.Equal(0, Run("git", [.. identity, "commit", "-qm", "hooks"], hooks, env).Code);
        var rev = Run("git", ["rev-parse", "HEAD"], hooks, env).Out.Trim();

        // A user's repository: a mesh file, its rendered bundle, and a config using both hooks.
        var user = dir.Combine("user");
        dir.Write("user/clusters/qotm.yaml", File.ReadAllText(Path.Combine(Repo.Example("qotm"), "mesh.yaml")));
        Assert.Equal(0, Run("git", ["init", "-q"], user, env).Code);
        Assert.Equal(0, Linkerd2Gen.Cli.Cli.Run(["render", Path.Combine(user, "clusters", "qotm.yaml"), "-o", Path.Combine(user, "out")], TextWriter.Null, TextWriter.Null));
        dir.Write("user/.pre-commit-config.yaml", $"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
            + "      - {id: linkerd2gen-check, args: [clusters/qotm.yaml, -o, out]}\n"
            + "      - {id: linkerd2gen-check-system, args: [clusters/qotm.yaml, -o, out]}\n");
        Assert.Equal(0, Run("git", ["add", "-A"], user, env).Code);
        Assert.Equal(0, Run("git", [.. identity, "commit", "-qm", "bundle"], user, env).Code);

        var (code, stdout, stderr) = Run("pre-commit", ["run", "--all-files"], user, env);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("linkerd2gen bundles are current", StringComparison.Ordinal) && l.EndsWith("Passed", StringComparison.Ordinal)));

        // A change of the mesh file without rendering: both hooks fail, naming the stale files.
        File.WriteAllText(Path.Combine(user, "clusters", "qotm.yaml"), File.ReadAllText(Path.Combine(user, "clusters", "qotm.yaml")).Replace("qotm-linkerd2", "qotm-renamed"));
        (code, stdout, stderr) = Run("pre-commit", ["run", "--all-files"], user, env);
        Assert.Equal(1, code);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("linkerd2gen bundles are current", StringComparison.Ordinal) && l.EndsWith("Failed", StringComparison.Ordinal)));
        Assert.Contains("out/qotm/namespaces/default/qotm-renamed.yaml: error L2G0500", stdout);
    }
}

/// <summary>A fact that needs pre-commit on PATH; CI installs it, so there a missing pre-commit fails instead.</summary>
public sealed class PreCommitFactAttribute : FactAttribute
{
    public PreCommitFactAttribute()
    {
        if (Repo.Which("pre-commit") is null && !Repo.IsCi) Skip = "needs pre-commit on PATH (apt install pre-commit)";
    }
}
