using Perisai.Server.Application;
using Perisai.Cli.Commands;
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
/// The demonstration community of ../shared/DOMAIN.md: the ten ASEAN national CERTs, five dialogue partners, the
/// ASEAN Regional CERT and one constituent; the trust groups "ASEAN national CERTs", "ASEAN + dialogue partners" and
/// the MY-SG bilateral pair; three collections; the public GoldenEye / NotPetya / WannaCry intelligence as STIX 2.1
/// (TLP:CLEAR for the partners, TLP:GREEN for ASEAN), with relationships; and examples at AMBER, AMBER+STRICT and RED
/// addressed to named recipients. Ids are name-based so loading twice is harmless.
/// </summary>
internal static class DemoData
{
    /// <summary>Name-space of the demo's deterministic ids; never the SCO name-space of STIX 2.1 §2.9.</summary>
    private static readonly Guid Namespace = new("5e7a1c2b-4d7f-4e0a-9b61-2f3c8d9e0a15");

    private const string Created = "2017-06-28T00:00:00.000Z";

    internal static readonly (string Country, string Name)[] Members =
    [
        ("BN", "BruCERT"), ("KH", "CamCERT"), ("ID", "Id-SIRTII/CC"), ("LA", "LaoCERT"), ("MY", "MyCERT"),
        ("MM", "mmCERT"), ("PH", "CERT-PH"), ("SG", "SingCERT"), ("TH", "ThaiCERT"), ("VN", "VNCERT/CC"),
    ];

    private static readonly (string Country, string Name)[] Partners =
    [
        ("US", "US-CERT"), ("AU", "CERT Australia"), ("JP", "JPCERT/CC"), ("NZ", "CERT NZ"), ("CN", "CNCERT/CC"),
    ];

    internal const string RegionalCert = "ASEAN Regional CERT";

    /// <summary>Loads the demo unless it is there already; returns the accounts made and their key secrets.</summary>
    /// <param name="node">The node.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="intelligence">Also the intelligence; without it only the directory, trust groups and collections (a national node of <c>perisai demo region</c>, which receives the intelligence from its hub).</param>
    public static async Task<IReadOnlyList<(string Account, string Key)>> LoadAsync(LocalNode node, CancellationToken ct, bool intelligence = true)
    {
        // Through the node's one trust administration and intake, as the operator: the demo's changes are audited and
        // its objects checked like anyone's.
        var admin = node.Trust;
        var op = Actor.Operator;
        if (await node.Reads.CollectionAsync("partners", ct).ConfigureAwait(false) is not null)
        {
            return [];
        }
        var keys = new List<(string, string)>();
        var orgs = new Dictionary<string, Organization>(StringComparer.Ordinal);
        async Task<Organization> Org(string name, string country, OrgKind kind, string? parent = null)
        {
            var org = await node.Reads.OrganizationAsync(name, ct).ConfigureAwait(false)
                ?? await admin.AddOrganizationAsync(op, name, country, TrustNames.Of(kind), parent is null ? null : orgs[parent].Id, OrganizationId(name), ct).ConfigureAwait(false);
            orgs[name] = org;
            string account = AccountName(name);
            var key = await admin.IssueKeyAsync(op, account, org.Id, "analyst", "demo", ct).ConfigureAwait(false);
            keys.Add((account, key.Secret));
            return org;
        }
        foreach (var (country, name) in Members)
        {
            await Org(name, country, OrgKind.NationalCert).ConfigureAwait(false);
        }
        foreach (var (country, name) in Partners)
        {
            await Org(name, country, OrgKind.Partner).ConfigureAwait(false);
        }
        await Org(RegionalCert, "SG", OrgKind.RegionalBody).ConfigureAwait(false);
        // A constituent: TLP:AMBER addressed to Id-SIRTII/CC may reach it, TLP:AMBER+STRICT may not.
        await Org(GovCsirt, "ID", OrgKind.GovernmentCsirt, parent: "Id-SIRTII/CC").ConfigureAwait(false);

        // The trust groups of ../shared/DOMAIN.md, each with its written definition.
        var national = await admin.AddCommunityAsync(op, "ASEAN national CERTs", "The national CERTs of the ten ASEAN member states.", ct).ConfigureAwait(false);
        var withPartners = await admin.AddCommunityAsync(op, "ASEAN + dialogue partners",
            "The ASEAN national CERTs, the ASEAN Regional CERT, and the national CERTs of the dialogue partners of the ASEAN Ministerial Conference on Cybersecurity (US, AU, JP, NZ, CN).", ct).ConfigureAwait(false);
        var bilateral = await admin.AddCommunityAsync(op, "MY-SG bilateral", "MyCERT and SingCERT, under their bilateral cooperation.", ct).ConfigureAwait(false);
        foreach (var (_, name) in Members)
        {
            await admin.SetMemberAsync(op, national.Id, orgs[name].Id, true, ct).ConfigureAwait(false);
        }
        foreach (var (_, name) in Members.Concat(Partners).Append(("SG", RegionalCert)))
        {
            await admin.SetMemberAsync(op, withPartners.Id, orgs[name].Id, true, ct).ConfigureAwait(false);
        }
        await admin.SetMemberAsync(op, bilateral.Id, orgs["MyCERT"].Id, true, ct).ConfigureAwait(false);
        await admin.SetMemberAsync(op, bilateral.Id, orgs["SingCERT"].Id, true, ct).ConfigureAwait(false);

        string regional = orgs[RegionalCert].Id;
        var asean = await admin.AddCollectionAsync(op, Id("collection", "asean").ToString(), "default", "ASEAN national CERTs",
            "Shared among the ten ASEAN national CERTs and the ASEAN Regional CERT. Unmarked objects are TLP:GREEN.", "asean", regional, "green", false, ct).ConfigureAwait(false);
        var partners = await admin.AddCollectionAsync(op, Id("collection", "partners").ToString(), "default", "ASEAN and dialogue partners",
            "Shared with the dialogue partners of the ASEAN Ministerial Conference on Cybersecurity. Unmarked objects are TLP:GREEN.", "partners", regional, "green", false, ct).ConfigureAwait(false);
        var mysg = await admin.AddCollectionAsync(op, Id("collection", "my-sg").ToString(), "default", "MY-SG bilateral",
            "MyCERT and SingCERT. Unmarked objects are TLP:AMBER.", "my-sg", orgs["MyCERT"].Id, "amber", false, ct).ConfigureAwait(false);
        await admin.GrantAsync(op, asean.Id, PrincipalKind.Community, national.Id, true, true, ct).ConfigureAwait(false);
        // A constituent reads the national collection (it receives CLEAR, and AMBER addressed to its parent), but it is
        // not in the community, so GREEN stays with the national CERTs.
        await admin.GrantAsync(op, asean.Id, PrincipalKind.Org, orgs[GovCsirt].Id, true, false, ct).ConfigureAwait(false);
        await admin.GrantAsync(op, partners.Id, PrincipalKind.Community, withPartners.Id, true, true, ct).ConfigureAwait(false);
        await admin.GrantAsync(op, mysg.Id, PrincipalKind.Community, bilateral.Id, true, true, ct).ConfigureAwait(false);

        if (!intelligence)
        {
            return keys;
        }
        await node.Intake.AddAsync(partners.Id, regional, Intelligence(TlpMarkings.Clear), ct).ConfigureAwait(false);
        await node.Intake.AddAsync(asean.Id, regional, Intelligence(TlpMarkings.Green), ct).ConfigureAwait(false);
        foreach (var (collection, producer, objects) in TrustExamples(orgs.ToDictionary(o => o.Key, o => o.Value.Id, StringComparer.Ordinal)))
        {
            var c = collection switch { "asean" => asean, "partners" => partners, _ => mysg };
            await node.Intake.AddAsync(c.Id, orgs[producer].Id, objects, ct).ConfigureAwait(false);
        }
        foreach (var (producer, objects) in RecentActivity(orgs.ToDictionary(o => o.Key, o => o.Value.Id, StringComparer.Ordinal), TimeProvider.System.GetUtcNow()))
        {
            await node.Intake.AddAsync(asean.Id, orgs[producer].Id, objects, ct).ConfigureAwait(false);
        }
        return keys;
    }

    /// <summary>
    /// The last six weeks of regional activity, so the first look at the dashboard shows what Perisai is for: member
    /// CERTs sharing the SMB scanners they saw during the WannaCry and NotPetya waves (TLP:GREEN, each indicating
    /// WannaCry), and sightings of the shared indicators from several member states. Deterministic but for the dates,
    /// which end at <paramref name="now"/>: (producer, objects).
    /// </summary>
    internal static IEnumerable<(string Producer, List<StixObject> Objects)> RecentActivity(IReadOnlyDictionary<string, string> orgIds, DateTimeOffset now)
    {
        var random = new Random(2017);
        string green = TlpMarkings.Green;
        var indicators = Intelligence(green).Where(o => o.Type == "indicator").Select(o => o.Id).ToList();
        string wannacry = MarkedId("malware", "WannaCry", green);
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        StixObject Make(JsonObject o)
        {
            using var doc = JsonDocument.Parse(o.ToJsonString());
            return StixObject.FromJson(doc.RootElement);
        }
        string[] reporters = [.. Members.Select(m => m.Name)];
        for (int i = 0; i < 14; i++)
        {
            string producer = reporters[i % reporters.Length];
            if (!orgIds.TryGetValue(producer, out var org))
            {
                continue;
            }
            var when = now.AddDays(-random.Next(1, 30)).AddMinutes(-random.Next(0, 1440));
            string address = $"203.0.113.{10 + i * 7}";
            string id = StixId("indicator", "scanner " + address);
            var indicator = new JsonObject
            {
                ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = id, ["created_by_ref"] = org, ["created"] = Time(when), ["modified"] = Time(when),
                ["name"] = $"EternalBlue SMB scanner {address}", ["indicator_types"] = new JsonArray("malicious-activity"),
                ["pattern"] = $"[ipv4-addr:value = '{address}']", ["pattern_type"] = "stix", ["pattern_version"] = "2.1", ["valid_from"] = Time(when),
                ["object_marking_refs"] = new JsonArray(green),
            };
            var rel = new JsonObject
            {
                ["type"] = "relationship", ["spec_version"] = "2.1", ["id"] = StixId("relationship", "scanner " + address), ["created_by_ref"] = org,
                ["created"] = Time(when), ["modified"] = Time(when), ["relationship_type"] = "indicates", ["source_ref"] = id, ["target_ref"] = wannacry,
                ["object_marking_refs"] = new JsonArray(green),
            };
            indicators.Add(id);
            yield return (producer, [Make(indicator), Make(rel)]);
        }
        for (int i = 0; i < 60; i++)
        {
            string producer = reporters[random.Next(reporters.Length)];
            if (!orgIds.TryGetValue(producer, out var org))
            {
                continue;
            }
            var last = now.AddDays(-random.Next(0, 42)).AddMinutes(-random.Next(0, 1440));
            var first = last.AddHours(-random.Next(1, 72));
            var sighting = new JsonObject
            {
                ["type"] = "sighting", ["spec_version"] = "2.1", ["id"] = StixId("sighting", $"demo {i}"), ["created_by_ref"] = org,
                ["created"] = Time(last), ["modified"] = Time(last), ["first_seen"] = Time(first), ["last_seen"] = Time(last),
                ["count"] = random.Next(1, 400), ["sighting_of_ref"] = indicators[random.Next(indicators.Count)],
                ["where_sighted_refs"] = new JsonArray(org), ["object_marking_refs"] = new JsonArray(green),
            };
            yield return (producer, [Make(sighting)]);
        }
    }

    internal const string GovCsirt = "Gov-CSIRT Indonesia";

    /// <summary>
    /// Intelligence at the stricter TLP levels, each addressed to named recipients (<c>x_perisai_recipients</c>), so a
    /// newcomer sees each reader receive a different part: (collection alias, producer, objects).
    /// </summary>
    internal static IEnumerable<(string Collection, string Producer, List<StixObject> Objects)> TrustExamples(IReadOnlyDictionary<string, string> orgIds)
    {
        StixObject Make(string type, string name, string tlp, IEnumerable<string> recipients, JsonObject props)
        {
            var o = new JsonObject
            {
                ["type"] = type, ["spec_version"] = "2.1", ["id"] = MarkedId(type, name, tlp), ["created"] = Created, ["modified"] = Created,
                ["object_marking_refs"] = new JsonArray(tlp),
                ["x_perisai_recipients"] = new JsonArray([.. recipients.Select(r => (JsonNode)JsonValue.Create(orgIds[r])!)]),
            };
            foreach (var (k, v) in props)
            {
                o[k] = v?.DeepClone();
            }
            using var doc = JsonDocument.Parse(o.ToJsonString());
            return StixObject.FromJson(doc.RootElement);
        }
        StixObject Indicator(string name, string tlp, string[] recipients, string pattern) => Make("indicator", name, tlp, recipients, new JsonObject
        {
            ["name"] = name, ["indicator_types"] = new JsonArray("malicious-activity"), ["pattern"] = pattern, ["pattern_type"] = "stix",
            ["pattern_version"] = "2.1", ["valid_from"] = "2017-06-28T00:00:00Z",
        });

        // AMBER: MyCERT to SingCERT, ThaiCERT and Id-SIRTII/CC (whose constituent Gov-CSIRT Indonesia receives it too).
        yield return ("asean", "MyCERT", [Indicator("NotPetya lateral movement seen at a Malaysian utility", TlpMarkings.Amber, ["SingCERT", "ThaiCERT", "Id-SIRTII/CC"],
            "[network-traffic:dst_port = 445 AND network-traffic:protocols[*] = 'smb']")]);
        // AMBER+STRICT: Id-SIRTII/CC to MyCERT only; its own constituent does not receive it.
        yield return ("asean", "Id-SIRTII/CC", [Indicator("WannaCry variant dropper from an Indonesian hospital", TlpMarkings.AmberStrict, ["MyCERT"],
            "[file:name = 'tasksche.exe' AND file:size = 3514368]")]);
        // RED, bilateral: SingCERT to MyCERT only, with a GREEN relationship that only they can see, because it
        // points at the RED actor.
        var actor = Make("threat-actor", "Unattributed SMB worm operator", TlpMarkings.Red, ["MyCERT"], new JsonObject
        {
            ["name"] = "Operator of the June 2017 SMB worm wave (unattributed)", ["threat_actor_types"] = new JsonArray("crime-syndicate"),
        });
        var lead = Indicator("Worm C2 beacon", TlpMarkings.Green, [], "[file:hashes.'SHA-256' = '027cc450ef5f8c5f653329641ec1fed91f694e0d229928963b30f6b0d7d3a745']");
        var rel = Make("relationship", "beacon attributed-to operator", TlpMarkings.Green, [], new JsonObject
        {
            ["relationship_type"] = "indicates", ["source_ref"] = lead.Id, ["target_ref"] = actor.Id,
        });
        yield return ("my-sg", "SingCERT", [actor, lead, rel]);
    }

    internal static string AccountName(string org) =>
        new string([.. org.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-') + "-analyst";

    /// <summary>
    /// A demo organization's identity id, the same on every node, as in a real region where each CERT has one identity
    /// (what is addressed to it must reach it on any node; <c>perisai demo region</c>).
    /// </summary>
    internal static string OrganizationId(string name) => StixId("identity", name);

    /// <summary>A demo collection's id by its alias (asean, partners, my-sg): the same on every node.</summary>
    internal static string CollectionId(string alias) => Id("collection", alias).ToString();

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
