using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Perisai.Patterning;

/// <summary>
/// An IPv4 or IPv6 address or CIDR block as STIX writes them in <c>ipv4-addr</c> and <c>ipv6-addr</c> values (STIX 2.1
/// §6.4, §6.5): the set of addresses it covers, as the first address and the prefix length. Stricter than
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which reads "1.2.3" as 1.2.0.3; host bits under the mask
/// are ignored, as CIDR notation intends. IPv4 is read without allocating: the matcher parses observed values by the
/// million.
/// </summary>
public readonly record struct IpSet
{
    private IpSet(bool isV6, UInt128 start, int prefix)
    {
        IsV6 = isV6;
        Start = start;
        Prefix = prefix;
    }

    /// <summary>True for IPv6, false for IPv4.</summary>
    public bool IsV6 { get; }

    /// <summary>The first address of the set (an IPv4 address in the low 32 bits).</summary>
    public UInt128 Start { get; }

    /// <summary>The prefix length: 32 (IPv4) or 128 (IPv6) for a single address.</summary>
    public int Prefix { get; }

    /// <summary>The last address of the set.</summary>
    public UInt128 End => Start | HostMask(IsV6 ? 128 : 32, Prefix);

    /// <summary>True when every address of this set is in <paramref name="other"/> (equal sets included).</summary>
    public bool IsSubsetOf(IpSet other) => IsV6 == other.IsV6 && Prefix >= other.Prefix && (Start & ~HostMask(IsV6 ? 128 : 32, other.Prefix)) == other.Start;

    /// <summary>A short canonical form, equal for equal sets: the index key of the matcher.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{(IsV6 ? '6' : '4')}{Start:x}/{Prefix}");

    /// <summary>The set a <see cref="Key"/> was written from.</summary>
    public static IpSet FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return new IpSet(key[0] == '6', UInt128.Parse(key.AsSpan(1, slash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }

    /// <summary>The block of <paramref name="prefix"/> bits that holds this set (no longer than <see cref="Prefix"/>).</summary>
    public IpSet WithPrefix(int prefix)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, Prefix);
        return new IpSet(IsV6, Start & ~HostMask(IsV6 ? 128 : 32, prefix), prefix);
    }

    /// <summary>Parses an address or a block; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpSet value)
    {
        value = default;
        int slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        bool v6 = address.Contains(':');
        UInt128 start;
        if (v6)
        {
            if (address.ContainsAny('%', '[') || !IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            Span<byte> bytes = stackalloc byte[16];
            ip.TryWriteBytes(bytes, out _);
            start = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }
        else if (!TryDottedQuad(address, out uint v4))
        {
            return false;
        }
        else
        {
            start = v4;
        }
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0 && !TryDecimal(text[(slash + 1)..], max, out prefix))
        {
            return false;
        }
        value = new IpSet(v6, start & ~HostMask(max, prefix), prefix);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, Start);
            return $"{new IPAddress(bytes)}/{Prefix}";
        }
        uint a = (uint)Start;
        return string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xFF}.{(a >> 8) & 0xFF}.{a & 0xFF}/{Prefix}");
    }

    private static UInt128 HostMask(int bits, int prefix) => prefix >= bits ? UInt128.Zero : (UInt128.One << (bits - prefix)) - 1;

    // Dotted decimal only: a leading zero ("010") is refused, since some readers take it as octal and others not.
    private static bool TryDottedQuad(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        for (int part = 0; part < 4; part++)
        {
            int dot = part < 3 ? s.IndexOf('.') : s.Length;
            if (dot < 0 || !TryDecimal(s[..dot], 255, out int octet))
            {
                return false;
            }
            value = (value << 8) | (uint)octet;
            s = part < 3 ? s[(dot + 1)..] : s;
        }
        return true;
    }

    private static bool TryDecimal(ReadOnlySpan<char> s, int max, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 3 || (s.Length > 1 && s[0] == '0'))
        {
            return false;
        }
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return value <= max;
    }
}
