using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Perisai.Cli.Tests;

/// <summary>The real <c>perisai</c> program, as a user runs it: a child process on a loopback port.</summary>
public sealed class PerisaiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PerisaiProcess(Process process, string[] storeArgs, int port)
    {
        _process = process;
        StoreArgs = storeArgs;
        Port = port;
    }

    /// <summary>The arguments that choose this node's store (<c>--data DIR</c> or <c>--postgres CONN</c>), for CLI verbs.</summary>
    public string[] StoreArgs { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string? AdminKey { get; private set; }

    /// <summary>The demo accounts' keys, by account name, as <c>serve --demo</c> printed them.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> DemoKeys { get; } = new(StringComparer.Ordinal);

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "perisai.dll");

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>perisai serve</c> on SQLite in <paramref name="dataDir"/> and waits until it listens.</summary>
    public static Task<PerisaiProcess> StartAsync(string dataDir, params string[] extra) => StartOnAsync(["--data", dataDir], extra);

    /// <summary>Starts <c>perisai serve</c> on the given store and waits until it listens.</summary>
    public static Task<PerisaiProcess> StartOnAsync(string[] storeArgs, params string[] extra) => StartOnPortAsync(FreePort(), storeArgs, extra);

    /// <summary>Starts <c>perisai serve</c> on the given store and port (a restart keeps its address) and waits until it listens.</summary>
    public static async Task<PerisaiProcess> StartOnPortAsync(int port, string[] storeArgs, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Dll, "serve", .. storeArgs, "--urls", $"http://127.0.0.1:{port}", .. extra])
        {
            psi.ArgumentList.Add(a);
        }
        var p = new PerisaiProcess(Process.Start(psi)!, storeArgs, port);
        p._process.OutputDataReceived += (_, e) => p.OnLine(e.Data);
        p._process.ErrorDataReceived += (_, e) => p.OnLine(e.Data);
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        var ready = await Task.WhenAny(p._listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (ready != p._listening.Task)
        {
            await p.DisposeAsync();
            throw new TimeoutException("perisai serve did not start listening in 60 s:\n" + p.Output);
        }
        return p;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (line.TrimStart().StartsWith("PERISAI_KEY=", StringComparison.Ordinal))
        {
            AdminKey = line.Trim()["PERISAI_KEY=".Length..];
        }
        else if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [string account, string key] && key.StartsWith("perisai_", StringComparison.Ordinal))
        {
            DemoKeys[account] = key;
        }
        else if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["password", string who, string password])
        {
            DemoPasswords[who] = password;
        }
        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    /// <summary>The web sign-in passwords <c>serve --demo</c> printed, by account.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> DemoPasswords { get; } = new(StringComparer.Ordinal);

    public HttpClient Client(string? key = null)
    {
        var c = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        c.DefaultRequestHeaders.Accept.ParseAdd("application/taxii+json;version=2.1");
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? AdminKey);
        return c;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>Runs a <c>perisai</c> verb to completion.</summary>
    public static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs a <c>perisai</c> verb with <paramref name="input"/> on its standard input.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunWithInputAsync(string? input, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        if (input is not null)
        {
            await p.StandardInput.WriteAsync(input);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "perisai-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
