using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Perisai.Server;
using Perisai.Web.Components;

namespace Perisai.Web;

/// <summary>
/// The web interface as a part of the node (<see cref="INodeModule"/>): Razor components rendered on the server under
/// <c>/ui/</c>, a session cookie for people (the TAXII API keeps its keys: a cookie never authorizes an API call),
/// anti-forgery on every form, and one stylesheet from the assembly. No script of ours and nothing from elsewhere:
/// pages work on an air-gapped network and in any browser.
/// </summary>
public sealed class WebModule : INodeModule
{
    /// <summary>The session cookie's name.</summary>
    public const string Cookie = "perisai_session";

    /// <inheritdoc />
    public void AddServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "perisai_csrf");
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = Cookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/ui/login";
            o.AccessDeniedPath = "/ui/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<WebCaller>();
        builder.Services.AddSingleton<WebData>();
    }

    /// <inheritdoc />
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The node answers unknown API paths with a TAXII error document; a page that says "not found" itself keeps its HTML.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/ui") && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        // The node's root is for people: a browser is sent to the web interface. A TAXII client asking for the root (with
        // the TAXII media type) keeps the TAXII answer, since discovery lives at /taxii2/ (TAXII 2.1 §4.1).
        app.MapGet("/", (HttpContext context) => context.Request.Headers.Accept.ToString().Contains("taxii+json", StringComparison.OrdinalIgnoreCase)
            ? Results.NotFound()
            : Results.Redirect("/ui/"));
        string css = ReadAsset("app.css");
        app.MapGet("/ui/app.css", () => Results.Text(css, "text/css; charset=utf-8"));
        // Before the TAXII routes: "/{root}/" would otherwise also match "/ui/" (an API root may not be named "ui").
        app.MapRazorComponents<App>().Add(e => ((Microsoft.AspNetCore.Routing.RouteEndpointBuilder)e).Order = -1);
    }

    internal static string ReadAsset(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    /// <summary>Signs an account in: the cookie holds its id, name and organization.</summary>
    internal static Task SignInAsync(HttpContext context, Perisai.Storage.Account account) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, account.Id), new Claim(ClaimTypes.Name, account.Name), new Claim("org", account.OrgId),
                new Claim("role", account.Role.ToString().ToLowerInvariant())],
            CookieAuthenticationDefaults.AuthenticationScheme)));
}
