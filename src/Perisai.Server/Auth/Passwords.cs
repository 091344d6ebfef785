using System.Globalization;
using System.Security.Cryptography;

namespace Perisai.Server.Auth;

/// <summary>
/// Passwords for the web interface: PBKDF2 with HMAC-SHA-256, 600,000 iterations (OWASP Password Storage Cheat Sheet,
/// 2023), a 16-byte random salt, a 32-byte key, stored as <c>pbkdf2-sha256$ITERATIONS$SALT$KEY</c> (base64) so the
/// cost can rise later without invalidating stored hashes.
/// </summary>
public static class Passwords
{
    /// <summary>Iterations for new hashes.</summary>
    public const int Iterations = 600_000;

    /// <summary>Shortest password accepted (NIST SP 800-63B §5.1.1.2: at least 8; longer is better).</summary>
    public const int MinLength = 12;

    /// <summary>Failures before an account is locked.</summary>
    public const int MaxFailures = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    /// <summary>A new hash of <paramref name="password"/>.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] key = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>, compared in constant time.</summary>
    public static bool Verify(string? stored, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored?.Split('$');
        if (parts is not ["pbkdf2-sha256", var iterations, var salt, var key] || !int.TryParse(iterations, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
        {
            // Spend the same time as a real check, so that an account without a password is not told apart by timing.
            Rfc2898DeriveBytes.Pbkdf2(password, new byte[16], Iterations, HashAlgorithmName.SHA256, 32);
            return false;
        }
        byte[] expected = Convert.FromBase64String(key);
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), n, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Why a new password is refused, or null when it is acceptable.</summary>
    public static string? Check(string password) =>
        password.Length < MinLength ? $"a password needs at least {MinLength} characters" : null;
}
