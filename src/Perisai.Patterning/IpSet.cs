using System.Net;
using System.Net.Sockets;

namespace Perisai.Patterning;

/// <summary>
/// An IPv4 or IPv6 address or CIDR block as STIX writes them in <c>ipv4-addr</c> and <c>ipv6-addr</c> values (STIX 2.1
/// §6.4, §6.5): the set of addresses it covers. Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>,
/// which reads "1.2.3" as 1.2.0.3; host bits under the mask are ignored, as CIDR notation intends.
/// </summary>
public readonly record struct IpSet(IPNetwork Network)
{
    /// <summary>Parses an address or a block; false for anything else.</summary>
    public static bool TryParse(string text, out IpSet value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string address = slash < 0 ? text : text[..slash];
        bool v6 = address.Contains(':', StringComparison.Ordinal);
        if (!v6 && !IsDottedQuad(address))
        {
            return false;
        }
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != (v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork) || (v6 && address.Contains('%', StringComparison.Ordinal)))
        {
            return false;
        }
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0)
        {
            string bits = text[(slash + 1)..];
            if (bits.Length is 0 or > 3 || !bits.All(char.IsAsciiDigit) || (bits.Length > 1 && bits[0] == '0') || !int.TryParse(bits, out prefix) || prefix > max)
            {
                return false;
            }
        }
        value = new IpSet(new IPNetwork(Mask(ip, prefix), prefix));
        return true;
    }

    // Dotted decimal only: a leading zero ("010") is refused, since some readers take it as octal and others not.
    private static bool IsDottedQuad(string s)
    {
        var parts = s.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    private static IPAddress Mask(IPAddress ip, int prefix)
    {
        byte[] bytes = ip.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
