using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Perisai.Server.Auth;
using Perisai.Stix;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Markings;
using Perisai.Storage;

namespace Perisai.Cli.Demo;

/// <summary>
/// The demonstration community of ../shared/DOMAIN.md: the ten ASEAN national CERTs, five dialogue partners and the
/// ASEAN Regional CERT, two collections, and the public GoldenEye / NotPetya / WannaCry intelligence as STIX 2.1
/// (TLP:CLEAR), with relationships. Ids are name-based so loading twice is harmless.
/// </summary>
internal static class DemoData
{
    /// <summary>Name-space of the demo's deterministic ids; never the SCO name-space of STIX 2.1 §2.9.</summary>
    private static readonly Guid Namespace = new("5e7a1c2b-4d7f-4e0a-9b61-2f3c8d9e0a15");

    private const string Created = "2017-06-28T00:00:00.000Z";

    private static readonly (string Country, string Name)[] Members =
    [
        ("BN", "BruCERT"), ("KH", "CamCERT"), ("ID", "Id-SIRTII/CC"), ("LA", "LaoCERT"), ("MY", "MyCERT"),
        ("MM", "mmCERT"), ("PH", "CERT-PH"), ("SG", "SingCERT"), ("TH", "ThaiCERT"), ("VN", "VNCERT/CC"),
    ];

    private static readonly (string Country, string Name)[] Partners =
    [
        ("US", "US-CERT"), ("AU", "CERT Australia"), ("JP", "JPCERT/CC"), ("NZ", "CERT NZ"), ("CN", "CNCERT/CC"),
    ];

    private const string RegionalCert = "ASEAN Regional CERT";

    /// <summary>Loads the demo unless it is there already; returns the accounts made and their key secrets.</summary>
    public static async Task<IReadOnlyList<(string Account, string Key)>> LoadAsync(IStixStore store, CancellationToken ct)
    {
        if (await store.GetCollectionAsync("partners", ct).ConfigureAwait(false) is not null)
        {
            return [];
        }
        var keys = new List<(string, string)>();
        var orgs = new Dictionary<string, Organization>(StringComparer.Ordinal);
        foreach (var (_, name) in Members.Concat(Partners).Append(("SG", RegionalCert)))
        {
            var org = await store.FindOrganizationAsync(name, ct).ConfigureAwait(false) ?? await store.AddOrganizationAsync(name, ct).ConfigureAwait(false);
            orgs[name] = org;
            string account = AccountName(name);
            var a = await store.FindAccountAsync(account, ct).ConfigureAwait(false) ?? await store.AddAccountAsync(org.Id, account, isAdmin: false, ct).ConfigureAwait(false);
            var key = ApiKeys.Issue(a.Id, "demo", TimeProvider.System);
            await store.AddApiKeyAsync(key.Record, ct).ConfigureAwait(false);
            keys.Add((account, key.Secret));
        }

        await store.AddCollectionAsync(new TaxiiCollection(Id("collection", "asean").ToString(), "default", "ASEAN national CERTs",
            "Shared among the ten ASEAN national CERTs and the ASEAN Regional CERT.", "asean"), ct).ConfigureAwait(false);
        await store.AddCollectionAsync(new TaxiiCollection(Id("collection", "partners").ToString(), "default", "ASEAN and dialogue partners",
            "Shared with the dialogue partners of the ASEAN Ministerial Conference on Cybersecurity.", "partners"), ct).ConfigureAwait(false);
        var asean = (await store.GetCollectionAsync("asean", ct).ConfigureAwait(false))!;
        var partners = (await store.GetCollectionAsync("partners", ct).ConfigureAwait(false))!;
        foreach (var (_, name) in Members.Append(("SG", RegionalCert)))
        {
            await store.GrantAsync(new Grant(asean.Id, orgs[name].Id, true, true), ct).ConfigureAwait(false);
        }
        foreach (var org in orgs.Values)
        {
            await store.GrantAsync(new Grant(partners.Id, org.Id, true, true), ct).ConfigureAwait(false);
        }

        await store.AddObjectsAsync(partners.Id, Intelligence(TlpMarkings.Clear), ct).ConfigureAwait(false);
        await store.AddObjectsAsync(asean.Id, Intelligence(TlpMarkings.Green), ct).ConfigureAwait(false);
        return keys;
    }

    private static string AccountName(string org) =>
        new string([.. org.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-') + "-analyst";

    private static Guid Id(string type, string name) => ScoIdentifier.Uuid5(Namespace, Encoding.UTF8.GetBytes($"{type}/{name}"));

    private static string StixId(string type, string name) => $"{type}--{Id(type, name)}";

    /// <summary>
    /// An id per marking: the same intelligence shared under TLP:GREEN and under TLP:CLEAR is two objects, since one
    /// id and version must always have the same content (STIX 2.1 §3.6).
    /// </summary>
    private static string MarkedId(string type, string name, string tlp) => $"{type}--{Id(type, tlp + "/" + name)}";

    /// <summary>The ransomware intelligence, marked with <paramref name="tlp"/>.</summary>
    internal static List<StixObject> Intelligence(string tlp)
    {
        var objects = new List<JsonObject>();
        string author = StixId("identity", RegionalCert);
        JsonObject Sdo(string type, string name, JsonObject props)
        {
            var o = new JsonObject
            {
                ["type"] = type,
                ["spec_version"] = "2.1",
                ["id"] = MarkedId(type, name, tlp),
                ["created_by_ref"] = author,
                ["created"] = Created,
                ["modified"] = Created,
                ["object_marking_refs"] = new JsonArray(tlp),
            };
            foreach (var (k, v) in props)
            {
                o[k] = v?.DeepClone();
            }
            objects.Add(o);
            return o;
        }
        void Rel(string source, string type, string target) => Sdo("relationship", $"{source} {type} {target}", new JsonObject
        {
            ["relationship_type"] = type, ["source_ref"] = source, ["target_ref"] = target,
        });
        string Indicator(string name, string pattern, string malware, string validFrom)
        {
            string id = Sdo("indicator", name, new JsonObject
            {
                ["name"] = name, ["indicator_types"] = new JsonArray("malicious-activity"), ["pattern"] = pattern,
                ["pattern_type"] = "stix", ["pattern_version"] = "2.1", ["valid_from"] = validFrom,
            })["id"]!.GetValue<string>();
            Rel(id, "indicates", malware);
            return id;
        }

        foreach (string marking in TlpMarkings.Tlp2Definitions())
        {
            objects.Add(JsonNode.Parse(marking)!.AsObject());
        }
        objects.Add(new JsonObject
        {
            ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = author, ["created"] = Created, ["modified"] = Created,
            ["name"] = RegionalCert, ["identity_class"] = "organization", ["sectors"] = new JsonArray("government"),
            ["contact_information"] = "incident@asean-cert.example.org",
        });

        string goldeneye = Sdo("malware", "GoldenEye", new JsonObject
        {
            ["name"] = "GoldenEye", ["is_family"] = true, ["malware_types"] = new JsonArray("ransomware"),
            ["description"] = "Petya/Mischa variant spread in December 2016 through fake job applications sent to HR departments.",
            ["first_seen"] = "2016-12-06T00:00:00Z",
        })["id"]!.GetValue<string>();
        string notpetya = Sdo("malware", "NotPetya", new JsonObject
        {
            ["name"] = "NotPetya", ["is_family"] = true, ["aliases"] = new JsonArray("Petya", "GoldenEye", "ExPetr", "Nyetya"),
            ["malware_types"] = new JsonArray("wiper", "ransomware", "worm"),
            ["description"] = "Wiper disguised as ransomware, 27 June 2017; spreads by EternalBlue and EternalRomance.",
            ["first_seen"] = "2017-06-27T00:00:00Z",
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = "S0368", ["url"] = "https://attack.mitre.org/software/S0368/" }),
        })["id"]!.GetValue<string>();
        string wannacry = Sdo("malware", "WannaCry", new JsonObject
        {
            ["name"] = "WannaCry", ["is_family"] = true, ["malware_types"] = new JsonArray("ransomware", "worm"),
            ["description"] = "Ransomware worm of 12 May 2017; its kill-switch domain is sinkholed (never resolve it).",
            ["first_seen"] = "2017-05-12T00:00:00Z",
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = "S0366", ["url"] = "https://attack.mitre.org/software/S0366/" }),
        })["id"]!.GetValue<string>();
        Rel(notpetya, "variant-of", goldeneye);

        string eternalBlue = Sdo("vulnerability", "CVE-2017-0144", new JsonObject
        {
            ["name"] = "CVE-2017-0144", ["description"] = "SMBv1 remote code execution (MS17-010), exploited as EternalBlue.",
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "cve", ["external_id"] = "CVE-2017-0144" }),
        })["id"]!.GetValue<string>();
        Rel(notpetya, "exploits", eternalBlue);
        Rel(wannacry, "exploits", eternalBlue);

        var techniques = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["T1486"] = "Data Encrypted for Impact", ["T1210"] = "Exploitation of Remote Services", ["T1003.001"] = "LSASS Memory",
            ["T1021.002"] = "SMB/Windows Admin Shares", ["T1047"] = "Windows Management Instrumentation", ["T1053.005"] = "Scheduled Task",
            ["T1070.001"] = "Clear Windows Event Logs", ["T1218.011"] = "Rundll32", ["T1529"] = "System Shutdown/Reboot",
            ["T1569.002"] = "Service Execution", ["T1490"] = "Inhibit System Recovery", ["T1489"] = "Service Stop",
        };
        var techniqueIds = techniques.ToDictionary(t => t.Key, t => Sdo("attack-pattern", t.Key, new JsonObject
        {
            ["name"] = t.Value,
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "mitre-attack", ["external_id"] = t.Key }),
        })["id"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (string t in (string[])["T1486", "T1210", "T1003.001", "T1021.002", "T1047", "T1053.005", "T1070.001", "T1218.011", "T1529", "T1569.002"])
        {
            Rel(notpetya, "uses", techniqueIds[t]);
        }
        foreach (string t in (string[])["T1486", "T1210", "T1490", "T1489"])
        {
            Rel(wannacry, "uses", techniqueIds[t]);
        }

        Indicator("GoldenEye: Schneider-Bewerbung.xls", "[file:hashes.'SHA-256' = '2320d4232ee80cc90bacd768ba52374a21d0773c39895b88cdcaa7782e16c441']", goldeneye, "2016-12-06T00:00:00Z");
        Indicator("GoldenEye: dropper", "[file:hashes.'SHA-256' = 'b5ef16922e2c76b09edd71471dd837e89811c5e658406a8495c1364d0d9dc690']", goldeneye, "2016-12-06T00:00:00Z");
        Indicator("GoldenEye: ransom note", "[file:name = 'YOUR_FILES_ARE_ENCRYPTED.TXT']", goldeneye, "2016-12-06T00:00:00Z");
        Indicator("NotPetya: perfc.dat", "[file:hashes.'SHA-256' = '027cc450ef5f8c5f653329641ec1fed91f694e0d229928963b30f6b0d7d3a745']", notpetya, "2017-06-27T00:00:00Z");
        Indicator("NotPetya: dllhost.dat (PsExec)", "[file:hashes.'SHA-256' = 'f8dbabdfa03068130c277ce49c60e35c029ff29d9e3c74c362521f3fb02670d5']", notpetya, "2017-06-27T00:00:00Z");
        Indicator("NotPetya: ransom e-mail", "[email-addr:value = 'wowsmith123456@posteo.net']", notpetya, "2017-06-27T00:00:00Z");
        Indicator("WannaCry: kill-switch domain", "[domain-name:value = 'www.iuqerfsodp9ifjaposdfjhgosurijfaewrwergwea.com']", wannacry, "2017-05-12T00:00:00Z");
        Indicator("WannaCry: tasksche.exe", "[file:hashes.'SHA-256' = 'ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa']", wannacry, "2017-05-12T00:00:00Z");
        Indicator("WannaCry: sample", "[file:hashes.'SHA-256' = '24d004a104d4d54034dbcffc2a4b19a11f39008a575aa614ea04703480b1022c']", wannacry, "2017-05-12T00:00:00Z");
        // STIX patterning §9.7: a backslash inside a string literal is written as two.
        Indicator("WannaCry: mutex", "[mutex:name = 'Global\\\\MsWinZonesCacheCounterMutexA']", wannacry, "2017-05-12T00:00:00Z");
        Indicator("WannaCry: service", "[process:name = 'mssecsvc2.0']", wannacry, "2017-05-12T00:00:00Z");

        var refs = new JsonArray([.. objects.Where(o => o["type"]!.GetValue<string>() is not ("marking-definition")).Select(o => (JsonNode)JsonValue.Create(o["id"]!.GetValue<string>())!)]);
        Sdo("report", "Ransomware waves 2016-2017", new JsonObject
        {
            ["name"] = "Ransomware waves of 2016–2017: GoldenEye, NotPetya, WannaCry",
            ["description"] = "Public indicators and techniques of the ransomware waves that hit the region, for detection in members' own logs.",
            ["published"] = Created, ["report_types"] = new JsonArray("threat-report", "malware"), ["object_refs"] = refs,
        });

        return [.. objects.Select(o =>
        {
            using var doc = JsonDocument.Parse(o.ToJsonString());
            return StixObject.FromJson(doc.RootElement);
        })];
    }
}
