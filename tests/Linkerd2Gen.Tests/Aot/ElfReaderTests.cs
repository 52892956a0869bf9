using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Aot;

/// <summary>The reader the AOT test of the binary's layout uses, on a file whose layout is known. (Apart from the AOT
/// tests: it needs no NativeAOT publish.)</summary>
public class ElfReaderTests
{
    [Fact]
    public void The_ELF_reader_sees_the_running_dotnet_host_as_position_independent()
    {
        // The contrast for the AOT test: the .NET host that runs these tests is an ordinary position-independent
        // executable with code, read by the same reader.
        if (!OperatingSystem.IsLinux()) return;
        var host = Elf.Read(Environment.ProcessPath!);
        Assert.Equal(Elf.PositionIndependent, host.Type);
        Assert.Contains(".text", host.Sections);
        Assert.True(host.SectionSize(".text") > 0);
    }
}
