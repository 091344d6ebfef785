using System.CommandLine;
using Perisai.Server.Auth;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai account password</c>: the password an account signs in to the web interface with.</summary>
internal static class AccountCommands
{
    public static Command Account()
    {
        var store = new StoreOptions();
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
        store.AddTo(password);
        password.SetAction(async (p, ct) =>
        {
            await using var s = await store.OpenAsync(p, ct).ConfigureAwait(false);
            var account = await s.FindAccountAsync(p.GetValue(name)!, ct).ConfigureAwait(false);
            if (account is null)
            {
                return Output.Fail("account password", $"no account '{p.GetValue(name)}'.");
            }
            if (p.GetValue(clear))
            {
                await s.SetPasswordAsync(account.Id, null, ct).ConfigureAwait(false);
                await CliAudit.RecordAsync(s, "account.password", account.Id, "cleared", ct).ConfigureAwait(false);
                Console.WriteLine($"Password of '{account.Name}' removed.");
                return 0;
            }
            string? secret = p.GetValue(fromStdin) || Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden($"Password for {account.Name}: ");
            if (string.IsNullOrEmpty(secret))
            {
                return Output.Fail("account password", "no password given.");
            }
            if (Passwords.Check(secret) is { } problem)
            {
                return Output.Fail("account password", problem + ".");
            }
            await s.SetPasswordAsync(account.Id, Passwords.Hash(secret), ct).ConfigureAwait(false);
            await CliAudit.RecordAsync(s, "account.password", account.Id, "set", ct).ConfigureAwait(false);
            Console.WriteLine($"Password of '{account.Name}' set.");
            return 0;
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
