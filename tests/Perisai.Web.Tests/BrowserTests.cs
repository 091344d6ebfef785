using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Perisai.Cli.Tests;

namespace Perisai.Web.Tests;

/// <summary>
/// The web interface end to end in headless Chromium from Debian's <c>chromium</c> package (never a downloaded
/// browser), against a real <c>perisai serve</c>. Screenshots of each page go to <c>artifacts/screenshots/</c> at
/// the root of the checkout (docs/web.md).
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string NoBrowser = "Browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium); .ci/run installs it.";

    private static string Screenshots()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Perisai.slnx")))
        {
            dir = dir.Parent;
        }
        string path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    private static async Task<string> NodeAsync()
    {
        string data = Path.Combine(PerisaiProcess.TempDir(), "data");
        async Task Run(params string[] args)
        {
            var r = await PerisaiProcess.RunAsync([.. args, "--data", data]);
            Assert.True(r.Exit == 0, $"perisai {string.Join(' ', args)}: {r.Out}{r.Err}");
        }
        await Run("org", "add", "MyCERT", "--country", "MY", "--kind", "national-cert");
        await Run("org", "add", "ThaiCERT", "--country", "TH", "--kind", "national-cert");
        await Run("collection", "add", "--title", "ASEAN shared", "--alias", "asean", "--owner", "MyCERT");
        await Run("collection", "grant", "asean", "--org", "MyCERT", "--read", "--write");
        await Run("collection", "grant", "asean", "--org", "ThaiCERT", "--read", "--write");
        await Run("key", "add", "--org", "MyCERT", "--account", "my-analyst");
        await Run("key", "add", "--org", "ThaiCERT", "--account", "th-analyst");
        await Run("key", "add", "--org", "MyCERT", "--account", "my-lead", "--role", "lead");
        foreach (string account in new[] { "my-analyst", "th-analyst", "my-lead" })
        {
            var psi = await PerisaiProcess.RunWithInputAsync($"{account}-password-1\n", "account", "password", account, "--password-stdin", "--data", data);
            Assert.True(psi.Exit == 0, psi.Out + psi.Err);
        }
        return data;
    }

    /// <summary>Debian's Chromium through Playwright, headless, with one page at a desktop's size.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Page { get; private set; } = null!;

        public static async Task<Browser> OpenAsync()
        {
            var b = new Browser { _playwright = await Playwright.CreateAsync() };
            b._browser = await b._playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
            // Generous timeouts: CI runs the test assemblies side by side on two cores, and a page may wait for its turn.
            var context = await b._browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(90_000);
            context.SetDefaultNavigationTimeout(90_000);
            Assertions.SetDefaultExpectTimeout(30_000);
            b.Page = await context.NewPageAsync();
            return b;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    /// <summary>
    /// Signs out with the header's button. Once, on CI's loaded machine, the click was not followed by the redirect in
    /// 90 s: if so, say where the page was, then sign out from the sign-out page itself (which must then work).
    /// </summary>
    private static async Task SignOutAsync(IPage page, string baseUrl)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(baseUrl + "/ui/login", new() { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            TestContext.Current.SendDiagnosticMessage($"sign-out click left the page at {page.Url}: {await page.Locator("main").InnerTextAsync()}");
            await page.GotoAsync(baseUrl + "/ui/logout");
            await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(baseUrl + "/ui/login");
        }
    }

    /// <summary>
    /// Signs in from the sign-in page. Once, on CI's loaded machine, the click was not followed by the redirect in 90 s
    /// (as with signing out): if so, say where the page was and what it said, then open the dashboard again and, if it
    /// still asks for it, sign in once more (which must then work).
    /// </summary>
    private static async Task SignInAsync(IPage page, string baseUrl, string account)
    {
        await page.GotoAsync(baseUrl + "/ui/");
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);
        await SubmitSignInAsync(page, account);
        try
        {
            await page.WaitForURLAsync(baseUrl + "/ui/", new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            TestContext.Current.SendDiagnosticMessage($"sign-in click left the page at {page.Url}: {await page.Locator("main").InnerTextAsync()}");
            await page.GotoAsync(baseUrl + "/ui/");
            if (page.Url.Contains("/ui/login", StringComparison.Ordinal))
            {
                await SubmitSignInAsync(page, account);
                await page.WaitForURLAsync(baseUrl + "/ui/");
            }
        }
    }

    private static async Task SubmitSignInAsync(IPage page, string account)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.GetByLabel("Account").FillAsync(account);
        await page.GetByLabel("Password").FillAsync($"{account}-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task An_analyst_shares_a_pasted_list_finds_it_by_value_and_another_country_cannot_see_it()
    {
        Assert.SkipWhen(!File.Exists(Chromium), NoBrowser);
        string data = await NodeAsync();
        string shots = Screenshots();
        await using var node = await PerisaiProcess.StartAsync(data);
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        // A wrong password is refused with one message for every failure.
        await page.GotoAsync(node.BaseUrl + "/ui/login");
        await page.GetByLabel("Account").FillAsync("my-analyst");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong account or password");

        await SignInAsync(page, node.BaseUrl, "my-analyst");

        // Share: a pasted list with defanged values, TLP:AMBER (no recipients: MyCERT's own).
        await page.GetByRole(AriaRole.Link, new() { Name = "Share" }).ClickAsync();
        await page.GetByLabel("Indicators, one per line", new() { Exact = false }).FillAsync("hxxp://phish-kit[.]example/login\n198.51.100[.]77\nnot an indicator\n");
        await page.GetByLabel("TLP", new() { Exact = true }).SelectOptionAsync("AMBER");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview who receives it" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Who will receive it" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section", new() { HasText = "Who will receive it" })).ToContainTextAsync("MyCERT");
        await page.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        var result = page.Locator("section", new() { HasText = "Result" });
        await Assertions.Expect(result).ToContainTextAsync("created");
        await Assertions.Expect(result).ToContainTextAsync("not an indicator");
        Assert.Equal(2, await result.Locator("td.ok").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "share.png"), FullPage = true });

        // Upload a MISP event: converted, validated and stored through the same intake, with its loss report.
        await page.Locator("#file").SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "misp", "wannacry-event.json"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and share" }).ClickAsync();
        var upload = page.Locator("section", new() { HasText = "Upload result" });
        await Assertions.Expect(upload).ToContainTextAsync("misp: 30 objects, 30 created");
        await Assertions.Expect(upload).ToContainTextAsync("PAP tag");

        // Find one IOC by value (typed defanged, as it arrives by e-mail) and open it.
        await page.GetByLabel("Search intelligence").FillAsync("198.51.100[.]77");
        await page.GetByLabel("Search intelligence").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 result");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "search.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "198.51.100.77" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.pattern", new() { HasText = "[ipv4-addr:value = '198.51.100.77']" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section", new() { HasText = "In words:" })).ToBeVisibleAsync();
        string objectUrl = page.Url;
        Assert.Contains("/ui/objects/indicator--", objectUrl, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "object.png"), FullPage = true });

        // On the dashboard: the two pasted indicators (new today) and the 30 objects of the uploaded event (its 28, and
        // the definition of the MISP property extension with its publisher).
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.Locator("section", new() { HasText = "Objects you can see" }).Locator(".stat")).ToHaveTextAsync("32");
        await Assertions.Expect(page.Locator("section", new() { HasText = "New indicators, last 30 days" })).ToContainTextAsync(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard.png"), FullPage = true });

        // Filters: by producer (ThaiCERT wrote nothing here) and by creation date.
        await page.GotoAsync(node.BaseUrl + "/ui/search");
        await page.GetByLabel("Producer").SelectOptionAsync(new SelectOptionValue { Label = "ThaiCERT" });
        await page.GetByLabel("Type").SelectOptionAsync("indicator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("0 results");
        await page.GetByLabel("Producer").SelectOptionAsync(new SelectOptionValue { Label = "MyCERT" });
        await page.GetByLabel("Created since").FillAsync(TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();
        // Today's are the two pasted indicators; the uploaded event's are from 2017.
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 results");

        // Sign out: the pages ask for sign-in again.
        await SignOutAsync(page, node.BaseUrl);
        await page.GotoAsync(objectUrl);
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);

        // Another country, reading the same collection: the AMBER object is not its to see, anywhere.
        await SignInAsync(page, node.BaseUrl, "th-analyst");
        var hidden = await page.GotoAsync(objectUrl);
        Assert.Equal(404, hidden!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        var unknown = await page.GotoAsync(node.BaseUrl + "/ui/objects/indicator--00000000-0000-4000-8000-000000000000");
        Assert.Equal(404, unknown!.Status);
        Assert.Equal(await page.Locator("main").InnerTextAsync(), await (await page.GotoAsync(objectUrl))!.Frame.Locator("main").InnerTextAsync());
        await page.GotoAsync(node.BaseUrl + "/ui/search?q=198.51.100.77");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("0 results");
        await page.GotoAsync(node.BaseUrl + "/ui/");
        await Assertions.Expect(page.Locator("section", new() { HasText = "Objects you can see" }).Locator(".stat")).ToHaveTextAsync("0");
        Assert.DoesNotContain("phish-kit", await page.ContentAsync(), StringComparison.Ordinal);

        // A phone's width: the same page, no horizontal scrolling of the page itself.
        await page.SetViewportSizeAsync(375, 740);
        await page.GotoAsync(node.BaseUrl + "/ui/");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
    }

    [Fact]
    public async Task A_lead_sees_the_administration_page_an_analyst_does_not_and_patterns_are_explained_or_underlined()
    {
        Assert.SkipWhen(!File.Exists(Chromium), NoBrowser);
        string data = await NodeAsync();
        string shots = Screenshots();
        await using var node = await PerisaiProcess.StartAsync(data);
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;

        await SignInAsync(page, node.BaseUrl, "my-lead");
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Collections and their rights" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section", new() { HasText = "Collections and their rights" })).ToContainTextAsync("ThaiCERT");
        // A lead changes its collection's access: ThaiCERT keeps reading but no longer writes.
        var access = page.Locator("form", new() { HasText = "Set access" });
        await access.GetByLabel("Organization or community").SelectOptionAsync(new SelectOptionValue { Label = "ThaiCERT" });
        await access.GetByLabel("read").CheckAsync();
        await access.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Access of ThaiCERT to ASEAN shared: read.");
        var row = page.Locator("section", new() { HasText = "Collections and their rights" }).Locator("tbody tr", new() { HasText = "ASEAN shared" });
        await Assertions.Expect(row.Locator("td").Nth(2)).ToContainTextAsync("ThaiCERT");
        await Assertions.Expect(row.Locator("td").Nth(3)).Not.ToContainTextAsync("ThaiCERT");
        // A lead is not the node's administrator: no keys, no audit log.
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "API keys" }).CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "admin.png"), FullPage = true });

        await page.GotoAsync(node.BaseUrl + "/ui/patterns?p=" + Uri.EscapeDataString("[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [domain-name:value = 'evil.example'] WITHIN 300 SECONDS"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("In words:");
        await page.GotoAsync(node.BaseUrl + "/ui/patterns?p=" + Uri.EscapeDataString("[ipv4-addr:value = '198.51.100.7' AND ]"));
        await Assertions.Expect(page.Locator("mark.err")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("at character");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "patterns.png"), FullPage = true });

        await SignOutAsync(page, node.BaseUrl);
        await SignInAsync(page, node.BaseUrl, "th-analyst");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).CountAsync());
        Assert.Equal(404, (await page.GotoAsync(node.BaseUrl + "/ui/admin"))!.Status);
    }

    [Fact]
    public async Task The_demo_fills_the_dashboard_and_draws_relationships()
    {
        Assert.SkipWhen(!File.Exists(Chromium), NoBrowser);
        string shots = Screenshots();
        await using var node = await PerisaiProcess.StartAsync(Path.Combine(PerisaiProcess.TempDir(), "data"), "--demo");
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(node.BaseUrl + "/ui/login");
        await page.GetByLabel("Account").FillAsync("mycert-analyst");
        await page.GetByLabel("Password").FillAsync(node.DemoPasswords["mycert-analyst"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(node.BaseUrl + "/ui/");

        // Sightings from several member states, and indicators shared in the last weeks.
        var countries = page.Locator("section", new() { HasText = "Sightings by reporting country" });
        Assert.True(await countries.Locator("rect").CountAsync() >= 3);
        Assert.True(await page.Locator("section", new() { HasText = "New indicators, last 30 days" }).Locator("rect").CountAsync() >= 3);
        // The map: member states shaded by what they reported, from outlines shipped with the node.
        var map = page.Locator("svg[aria-label^='Map of the ASEAN member states']");
        await Assertions.Expect(map.Locator("path title", new() { HasText = "Malaysia:" })).ToHaveCountAsync(1);
        Assert.True(await map.Locator("path:not([fill='#f3f6f9']):not([fill='#dde3e8'])").CountAsync() >= 3);
        await Assertions.Expect(page.Locator("section", new() { HasText = "Top malware and campaigns" })).ToContainTextAsync("WannaCry");
        Assert.True(await page.Locator("section", new() { HasText = "Sightings, last 30 days" }).Locator("rect").CountAsync() >= 3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-demo.png"), FullPage = true });

        // WannaCry: its indicators around it, each a link.
        await page.GotoAsync(node.BaseUrl + "/ui/search?q=WannaCry");
        await page.GetByRole(AriaRole.Link, new() { Name = "WannaCry", Exact = true }).First.ClickAsync();
        var graph = page.Locator("section", new() { HasText = "Relationships" });
        await Assertions.Expect(graph.Locator("svg")).ToBeVisibleAsync();
        Assert.True(await graph.Locator("svg a").CountAsync() >= 3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "object-graph.png"), FullPage = true });

        // Its producer sees who receives MyCERT's AMBER indicator: the three named recipients and the constituent.
        await page.GotoAsync(node.BaseUrl + "/ui/search?q=" + Uri.EscapeDataString("NotPetya lateral movement"));
        await page.GetByRole(AriaRole.Link, new() { Name = "NotPetya lateral movement", Exact = false }).First.ClickAsync();
        var who = page.Locator("section", new() { HasText = "Who can see this" });
        await Assertions.Expect(who).ToContainTextAsync("SingCERT");
        await Assertions.Expect(who).ToContainTextAsync("Gov-CSIRT Indonesia");
    }

    /// <summary>
    /// Issue 15's example on <c>perisai serve --demo</c>, in Chromium: MyCERT shares a TLP:GREEN indicator in "ASEAN
    /// national CERTs" whose description is TLP:RED. SingCERT's object page shows the indicator without the
    /// description (and says a property was withheld), and its search does not find the indicator by the description's
    /// words; MyCERT's page shows it and its search finds it.
    /// </summary>
    [Fact]
    public async Task A_granular_RED_description_is_withheld_from_SingCERTs_pages_and_search_and_shown_to_MyCERT()
    {
        Assert.SkipWhen(!File.Exists(Chromium), NoBrowser);
        string shots = Screenshots();
        await using var node = await PerisaiProcess.StartAsync(Path.Combine(PerisaiProcess.TempDir(), "data"), "--demo");
        const string id = "indicator--5e1c0a77-9d2b-4c4e-8f61-3a7b2c9d0e15";
        string indicator = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-11-29T08:00:00.000Z\","
            + "\"modified\":\"2026-11-29T08:00:00.000Z\",\"name\":\"Phishing sender to ministries\",\"pattern\":\"[email-addr:value = 'hr-jobs@example.org']\","
            + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-11-29T08:00:00Z\",\"description\":\"victim is the ministry of finance\","
            + "\"object_marking_refs\":[\"" + Perisai.Stix.Markings.TlpMarkings.Green + "\"],"
            + "\"granular_markings\":[{\"marking_ref\":\"" + Perisai.Stix.Markings.TlpMarkings.Red + "\",\"selectors\":[\"description\"]}]}";
        using (var my = node.Client(node.DemoKeys["mycert-analyst"]))
        {
            var content = new StringContent("{\"objects\":[" + indicator + "]}", System.Text.Encoding.UTF8);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/taxii+json;version=2.1");
            var posted = await my.PostAsync(new Uri("/default/collections/asean/objects/", UriKind.Relative), content);
            string status = await posted.Content.ReadAsStringAsync();
            Assert.True(status.Contains("\"success_count\":1", StringComparison.Ordinal), status);
        }
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        async Task SignInAsDemoAsync(string account)
        {
            await page.GotoAsync(node.BaseUrl + "/ui/login");
            await page.GetByLabel("Account").FillAsync(account);
            await page.GetByLabel("Password").FillAsync(node.DemoPasswords[account]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(node.BaseUrl + "/ui/");
        }

        await SignInAsDemoAsync("singcert-analyst");
        await page.GotoAsync(node.BaseUrl + "/ui/objects/" + id);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Phishing sender to ministries" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("1 property withheld under TLP:RED");
        await Assertions.Expect(page.Locator(".tlp").First).ToContainTextAsync("GREEN");
        Assert.DoesNotContain("ministry of finance", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "object-withheld.png"), FullPage = true });
        await page.GotoAsync(node.BaseUrl + "/ui/search?q=" + Uri.EscapeDataString("ministry of finance"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("0 results");
        await SignOutAsync(page, node.BaseUrl);

        await SignInAsDemoAsync("mycert-analyst");
        await page.GotoAsync(node.BaseUrl + "/ui/search?q=" + Uri.EscapeDataString("ministry of finance"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 result");
        await page.GetByRole(AriaRole.Link, new() { Name = "Phishing sender to ministries" }).ClickAsync();
        await Assertions.Expect(page.Locator("section", new() { HasText = "Properties" })).ToContainTextAsync("victim is the ministry of finance");
        Assert.DoesNotContain("withheld", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// axe-core (Deque, WCAG 2.1 A and AA rules) on every page, as two readers see them: no violation of serious or
    /// critical impact (missing labels, contrast, keyboard traps, landmarks).
    /// </summary>
    [Fact]
    public async Task Every_page_passes_the_axe_accessibility_rules_at_desktop_and_phone_widths()
    {
        Assert.SkipWhen(!File.Exists(Chromium), NoBrowser);
        await using var node = await PerisaiProcess.StartAsync(Path.Combine(PerisaiProcess.TempDir(), "data"), "--demo");
        await using var browser = await Browser.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(node.BaseUrl + "/ui/login");
        await AssertAccessibleAsync(page, "login");
        await page.GetByLabel("Account").FillAsync("mycert-analyst");
        await page.GetByLabel("Password").FillAsync(node.DemoPasswords["mycert-analyst"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(node.BaseUrl + "/ui/");
        foreach (var (width, height) in new[] { (1280, 800), (375, 740) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (string path in new[] { "/ui/", "/ui/search?q=WannaCry", "/ui/search?type=indicator&tlp=GREEN", "/ui/share", "/ui/patterns?p=%5Bipv4-addr%3Avalue%20%3D%20%27x%27%20AND%5D", "/ui/account" })
            {
                await page.GotoAsync(node.BaseUrl + path);
                await AssertAccessibleAsync(page, $"{path} at {width}px");
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} scrolls sideways at {width}px");
            }
            await page.GotoAsync(node.BaseUrl + "/ui/search?q=WannaCry");
            await page.GetByRole(AriaRole.Link, new() { Name = "WannaCry", Exact = true }).First.ClickAsync();
            await AssertAccessibleAsync(page, $"object page at {width}px");
        }
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }
}
