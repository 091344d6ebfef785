using System.Security.Cryptography;
using System.Text;
using Perisai.Storage;

namespace Perisai.Server.Auth;

/// <summary>A newly made key: the record to store and the secret to show once.</summary>
public sealed record IssuedKey(ApiKeyRecord Record, string Secret);

/// <summary>
/// API keys: <c>perisai_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the record; the secret is 256 random bits, stored only as
/// SHA-256 over a per-key salt and the secret. A fast hash is enough for a 256-bit random secret (no dictionary
/// to guess from); a slow password hash would only slow every request.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "perisai_";

    /// <summary>Makes a key for an account.</summary>
    public static IssuedKey Issue(string accountId, string label, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        string salt = Base64Url(RandomNumberGenerator.GetBytes(16));
        long created = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        var record = new ApiKeyRecord(id, accountId, label, salt, Hash(salt, secret), created, false);
        return new IssuedKey(record, $"{Prefix}{id}_{secret}");
    }

    /// <summary>Splits a presented key into id and secret; false when it is not of this form.</summary>
    public static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        int sep = presented.IndexOf('_', Prefix.Length);
        if (sep != Prefix.Length + 16 || sep == presented.Length - 1)
        {
            return false;
        }
        id = presented[Prefix.Length..sep];
        secret = presented[(sep + 1)..];
        return true;
    }

    /// <summary>Whether <paramref name="secret"/> is the key's secret, compared in constant time.</summary>
    public static bool Verify(ApiKeyRecord key, string secret)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] expected = Convert.FromHexString(key.Hash);
        byte[] actual = Convert.FromHexString(Hash(key.Salt, secret));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Hash(string salt, string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
