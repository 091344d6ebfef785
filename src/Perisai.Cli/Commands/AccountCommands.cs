using System.CommandLine;
using Perisai.Server.Application;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai account password</c>: the password an account signs in to the web interface with.</summary>
internal static class AccountCommands
{
    public static Command Account()
    {
        var name = new Argument<string>("name") { Description = "Account name (see 'perisai key list')." };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of asking." };
        var clear = new Option<bool>("--clear") { Description = "Remove the password: the account then signs in with API keys only." };
        var password = new Command("password", """
            Set the password an account signs in to the web interface with (PBKDF2-SHA256, 600,000 iterations;
            at least 12 characters). Setting it also lifts a lockout.

            Examples:
              perisai account password mycert-analyst
              printf '%s\n' "$PW" | perisai account password mycert-analyst --password-stdin
            """)
        { name, fromStdin, clear };
        LocalNode.Run(password, "account password", async (p, node, ct) =>
        {
            string accountName = p.GetValue(name)!;
            if (p.GetValue(clear))
            {
                var cleared = await node.Trust.SetPasswordAsync(Actor.Operator, accountName, null, ct).ConfigureAwait(false);
                return Output.Done($"Password of '{cleared.Name}' removed.");
            }
            if (!await node.Trust.AccountExistsAsync(accountName, ct).ConfigureAwait(false))
            {
                return Output.Fail("account password", TrustMessages.NoAccount(accountName));
            }
            string? secret = p.GetValue(fromStdin) || Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden($"Password for {accountName}: ");
            if (string.IsNullOrEmpty(secret))
            {
                return Output.Fail("account password", CliMessages.NoPassword);
            }
            var account = await node.Trust.SetPasswordAsync(Actor.Operator, accountName, secret, ct).ConfigureAwait(false);
            return Output.Done($"Password of '{account.Name}' set.");
        });
        return new Command("account", "Manage accounts' web sign-in.") { password };
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return chars.ToString();
            }
            if (key.Key == ConsoleKey.Backspace && chars.Length > 0)
            {
                chars.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Append(key.KeyChar);
            }
        }
    }
}
