using Perisai.Server.Auth;

namespace Perisai.Server.Tests.Auth;

public sealed class PasswordsTests
{
    [Fact]
    public void A_hash_verifies_its_password_and_nothing_else()
    {
        string stored = Passwords.Hash("correct horse battery");
        Assert.StartsWith("pbkdf2-sha256$600000$", stored, StringComparison.Ordinal);
        Assert.True(Passwords.Verify(stored, "correct horse battery"));
        Assert.False(Passwords.Verify(stored, "correct horse batterY"));
        Assert.False(Passwords.Verify(stored, ""));
        // Two hashes of one password differ (salted).
        Assert.NotEqual(stored, Passwords.Hash("correct horse battery"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-text")]
    [InlineData("pbkdf2-sha256$0$AAAA$BBBB")]
    [InlineData("md5$1$AAAA$BBBB")]
    public void A_missing_or_foreign_hash_never_verifies(string? stored) => Assert.False(Passwords.Verify(stored, "anything"));

    [Fact]
    public void The_iteration_count_is_read_from_the_hash()
    {
        // A hash made with fewer iterations (say, before the cost rose) still verifies.
        byte[] salt = new byte[16];
        byte[] key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("old password here", salt, 1000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        string stored = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";
        Assert.True(Passwords.Verify(stored, "old password here"));
    }

    [Fact]
    public void Short_passwords_are_refused()
    {
        Assert.NotNull(Passwords.Check("short"));
        Assert.Null(Passwords.Check("twelve chars"));
    }
}
