using Perisai.Server.Application;
using System.CommandLine;
using Perisai.Cli.Demo;
using Microsoft.Extensions.Hosting;
using Perisai.Server;
using Perisai.Server.Auth;

namespace Perisai.Cli.Commands;

/// <summary><c>perisai serve</c>: runs the node.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "Addresses to listen on; plain http:// only on loopback unless --allow-insecure-http.",
            DefaultValueFactory = _ => ["http://127.0.0.1:8021"],
            AllowMultipleArgumentsPerToken = true,
        };
        var demo = new Option<bool>("--demo") { Description = "Load the demonstration community and intelligence (idempotent)." };
        var cert = new Option<string?>("--cert") { Description = "TLS certificate: a PEM file (with --cert-key KEYFILE) or a PFX file (with --cert-key PASSWORD)." };
        var certKey = new Option<string?>("--cert-key") { Description = "PEM private key file, or PFX password." };
        var insecure = new Option<bool>("--allow-insecure-http") { Description = "Allow plain HTTP on non-loopback addresses (only behind a TLS proxy)." };
        var maxBody = new Option<long>("--max-content-length")
        {
            Description = "Largest request body in bytes (advertised as max_content_length).",
            DefaultValueFactory = _ => new NodeOptions().MaxContentLength,
        };
        var maxPage = new Option<int>("--max-page-size")
        {
            Description = "Most objects in one TAXII response, whatever the client's limit.",
            DefaultValueFactory = _ => new NodeOptions().MaxPageSize,
        };
        var command = new Command("serve", """
            Run the node: TAXII 2.1 on the given addresses, SQLite in --data unless --postgres is given.
            On first start it creates an administrator account and prints its API key once.

            Examples:
              perisai serve --demo
              perisai serve --data /var/lib/perisai --urls https://0.0.0.0:8443 --cert node.pem --cert-key node.key
              perisai serve --postgres "Host=127.0.0.1;Username=perisai;Password=...;Database=perisai"
            """)
        { urls, demo, cert, certKey, insecure, maxBody, maxPage };
        LocalNode.Run(command, "serve", async (parse, node, ct) =>
        {
            var options = new NodeOptions
            {
                CertificatePath = parse.GetValue(cert),
                CertificateKey = parse.GetValue(certKey),
                AllowInsecureHttp = parse.GetValue(insecure),
                MaxContentLength = parse.GetValue(maxBody),
                MaxPageSize = parse.GetValue(maxPage),
            };
            if (options.MaxContentLength < 1024 || options.MaxPageSize < 1)
            {
                await Console.Error.WriteLineAsync("perisai serve: " + CliMessages.ServeLimits).ConfigureAwait(false);
                return 2;
            }
            options.DefaultPageSize = Math.Min(options.DefaultPageSize, options.MaxPageSize);
            string[] addresses = parse.GetValue(urls)!;
            if (NodeHost.CheckUrls(addresses, options) is { } problem)
            {
                await Console.Error.WriteLineAsync($"perisai serve: {problem}").ConfigureAwait(false);
                return 2;
            }
            string? adminKey = await node.Trust.BootstrapAsync(ct).ConfigureAwait(false);
            if (adminKey is not null)
            {
                Console.WriteLine("Administrator account 'admin' created. Its API key is shown once; keep it safe:");
                Console.WriteLine($"  PERISAI_KEY={adminKey}");
            }
            if (parse.GetValue(demo))
            {
                var loaded = await DemoData.LoadAsync(node, ct).ConfigureAwait(false);
                Console.WriteLine(loaded.Count == 0
                    ? "Demo data already present."
                    : $"Demo data loaded: {loaded.Count} accounts with keys:");
                foreach (var (account, key) in loaded)
                {
                    Console.WriteLine($"  {account,-12} {key}");
                }
                if (loaded.Count > 0)
                {
                    // Web sign-in for the same accounts, so the first look at /ui/ shows each member's own view.
                    Console.WriteLine("Their web sign-in passwords (at /ui/login), shown once:");
                    foreach (var (account, _) in loaded)
                    {
                        string password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
                        await node.Trust.SetPasswordAsync(Actor.Operator, account, password, ct).ConfigureAwait(false);
                        Console.WriteLine($"  password {account,-12} {password}");
                    }
                }
            }
            Console.WriteLine($"Store: {node.Description}");
            await using var app = node.BuildServer(options, addresses);
            await app.StartAsync(ct).ConfigureAwait(false);
            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
