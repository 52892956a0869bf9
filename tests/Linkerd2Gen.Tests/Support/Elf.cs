using System.Buffers.Binary;
using System.Text;

namespace Linkerd2Gen.Tests.Support;

/// <summary>What the AOT tests ask of a 64-bit little-endian ELF file: its type (executable or position independent)
/// and its sections' names and sizes, read from its header and section header table.</summary>
public sealed class Elf
{
    /// <summary>ET_EXEC: an executable linked at a fixed address.</summary>
    public const ushort Executable = 2;

    /// <summary>ET_DYN: a shared object, or a position-independent executable.</summary>
    public const ushort PositionIndependent = 3;

    private readonly Dictionary<string, long> _sizes;

    private Elf(ushort type, Dictionary<string, long> sizes)
    {
        Type = type;
        _sizes = sizes;
    }

    public ushort Type { get; }

    public IReadOnlyCollection<string> Sections => _sizes.Keys;

    public long SectionSize(string name) => _sizes.GetValueOrDefault(name);

    public static Elf Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 4).SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']), $"{path} is no ELF file");
        Assert.True(bytes[4] == 2 && bytes[5] == 1, $"{path} is not a 64-bit little-endian ELF file");
        ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)at));
        uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at));
        long U64(long at) => (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at));
        // The file header: e_type at 16, e_shoff at 40, e_shentsize, e_shnum and e_shstrndx at 58, 60 and 62.
        var (table, entry, count, namesIndex) = (U64(40), U16(58), U16(60), U16(62));
        long Header(int i) => table + (long)i * entry;
        // A section header: sh_name at 0, sh_offset at 24, sh_size at 32.
        var names = U64(Header(namesIndex) + 24);
        string Name(int i)
        {
            var from = (int)(names + U32(Header(i)));
            return Encoding.ASCII.GetString(bytes, from, Array.IndexOf(bytes, (byte)0, from) - from);
        }
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 1; i < count; i++) sizes.TryAdd(Name(i), U64(Header(i) + 32));
        return new Elf(U16(16), sizes);
    }
}
