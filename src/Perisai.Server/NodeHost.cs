using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Perisai.Server.Ingest;
using Perisai.Server.Taxii;
using Perisai.Storage;

namespace Perisai.Server;

/// <summary>A part of the node that lives in another assembly (the web interface): its services and its endpoints.</summary>
public interface INodeModule
{
    /// <summary>Registers the module's services.</summary>
    void AddServices(WebApplicationBuilder builder);

    /// <summary>Adds the module's middleware and endpoints, after the error boundary and before the TAXII endpoints.</summary>
    void Map(WebApplication app);
}

/// <summary>Composes a node: services, Kestrel (TLS 1.2+), the error boundary and the TAXII endpoints.</summary>
public static class NodeHost
{
    /// <summary>
    /// Builds the web application. <paramref name="configure"/> lets a caller adjust the builder (tests use an
    /// in-memory server).
    /// </summary>
    public static WebApplication Build(IStixStore store, NodeOptions options, TimeProvider time, IReadOnlyList<string> urls, Action<WebApplicationBuilder>? configure = null,
        IReadOnlyList<INodeModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(urls);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Per-request lines from ASP.NET Core would drown the node's own events; start-up lines stay.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<EnvelopeIngestor>();
        builder.Services.AddSingleton<Application.Reads>();
        builder.Services.AddSingleton<Application.Intake>();
        builder.Services.AddSingleton<Application.TrustAdministration>();
        builder.Services.AddSingleton<Application.Feeds>();
        builder.Services.AddSingleton<Auth.PasswordSignIn>();
        builder.Services.AddSingleton<Auth.SessionCallers>();
        builder.Services.AddSingleton<NodeServices>();
        builder.Services.AddHostedService<EnvelopeWorker>();
        builder.Services.AddSingleton<Sharing.TrustCache>();
        builder.Services.AddSingleton<Sharing.AuditLog>();
        builder.Services.AddHostedService<Sharing.AuditWriter>();
        builder.Services.AddHostedService<Feeds.FeedScheduler>();
        builder.Services.AddSingleton<Federation.PeerSync>();
        builder.Services.AddSingleton<Application.PeerAdministration>();
        builder.Services.AddHostedService<Federation.PeerScheduler>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // One byte over the advertised limit so that the endpoint, not Kestrel, answers 413 with a TAXII error.
            k.Limits.MaxRequestBodySize = options.MaxContentLength + 1;
            k.ConfigureHttpsDefaults(h =>
            {
                // TAXII 2.1 §8.2.2: TLS 1.2 or later.
                h.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                if (options.CertificatePath is not null)
                {
                    h.ServerCertificate = LoadCertificate(options.CertificatePath, options.CertificateKey);
                }
            });
        });
        if (urls.Count > 0)
        {
            builder.WebHost.UseUrls([.. urls]);
        }
        configure?.Invoke(builder);
        foreach (var module in modules ?? [])
        {
            module.AddServices(builder);
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Perisai.Server");
        app.Use((context, next) => ErrorBoundaryAsync(context, next, logger));
        app.UseStatusCodePages(async ctx =>
        {
            // Anything routing answers without a body (405, 404 of unknown paths) still gets a TAXII error resource.
            int status = ctx.HttpContext.Response.StatusCode;
            await new TaxiiException(status, status == 405 ? "Method not allowed" : TaxiiMessages.NotFound,
                status == 405 ? "This resource does not support that HTTP method." : TaxiiMessages.NoResource).WriteAsync(ctx.HttpContext).ConfigureAwait(false);
        });
        foreach (var module in modules ?? [])
        {
            module.Map(app);
        }
        DiscoveryEndpoints.Map(app);
        CollectionsEndpoints.Map(app);
        ObjectsEndpoints.Map(app);
        Sharing.TrustEndpoints.Map(app);
        Detection.SightingEndpoints.Map(app);
        Feeds.FeedEndpoints.Map(app);
        Feeds.ExtensionEndpoints.Map(app);
        Federation.PeerEndpoints.Map(app);
        app.MapFallback(context => new TaxiiException(404, TaxiiMessages.NotFound, TaxiiMessages.NoResource).WriteAsync(context));

        foreach (string url in urls)
        {
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                Log.PlainHttp(logger, url);
            }
        }
        return app;
    }

    /// <summary>
    /// Refuses plain HTTP on anything but loopback unless explicitly allowed, since TAXII 2.1 §8.2.2 requires TLS.
    /// Returns an error message, or null when the addresses are acceptable.
    /// </summary>
    public static string? CheckUrls(IEnumerable<string> urls, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(options);
        foreach (string url in urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"'{url}' is not an http:// or https:// address to listen on.";
            }
            if (uri.Scheme == Uri.UriSchemeHttps && options.CertificatePath is null)
            {
                return $"'{url}' needs a certificate: pass --cert FILE (PEM with --cert-key KEYFILE, or PFX with --cert-key PASSWORD).";
            }
            bool loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (uri.Scheme == Uri.UriSchemeHttp && !loopback && !options.AllowInsecureHttp)
            {
                return $"'{url}' would serve plain HTTP beyond this machine. TAXII 2.1 §8.2.2 requires TLS: use https:// with --cert, or pass --allow-insecure-http behind a TLS-terminating proxy.";
            }
        }
        return null;
    }

    private static X509Certificate2 LoadCertificate(string path, string? key)
    {
        if (path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase))
        {
            return X509Certificate2.CreateFromPemFile(path, key);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, key);
    }

    private static async Task ErrorBoundaryAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (TaxiiException problem) when (!context.Response.HasStarted)
        {
            await problem.WriteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            // Kestrel's own limits (body too large, malformed request).
            var problem = bad.StatusCode == 413
                ? new TaxiiException(413, TaxiiMessages.TooLarge, TaxiiMessages.TooLargeDetail(context.RequestServices.GetRequiredService<NodeOptions>().MaxContentLength))
                : new TaxiiException(bad.StatusCode, TaxiiMessages.BadRequest, "The HTTP request is malformed.");
            await problem.WriteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // The boundary turns every other failure into a TAXII 500 without internals.
        catch (Exception ex) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            Log.Unhandled(logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, ex);
            await new TaxiiException(500, TaxiiMessages.Internal, TaxiiMessages.InternalDetail).WriteAsync(context).ConfigureAwait(false);
        }
    }
}
