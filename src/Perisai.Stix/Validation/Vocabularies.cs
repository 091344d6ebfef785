// Values of the STIX 2.1 vocabularies and enumerations, STIX 2.1 §10 (read from the specification text).
using System.Collections.Frozen;

namespace Perisai.Stix.Validation;

/// <summary>The open vocabularies (<c>-ov</c>) and closed enumerations (<c>-enum</c>) of STIX 2.1 §10.</summary>
public static class Vocabularies
{
    /// <summary>Every vocabulary by name, with its defined values.</summary>
    public static readonly FrozenDictionary<string, FrozenSet<string>> All = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal)
    {
        // §10.1
        ["account-type-ov"] = Set("facebook", "ldap", "nis", "openid", "radius", "skype", "tacacs", "twitter", "unix", "windows-local", "windows-domain"),
        // §10.2
        ["attack-motivation-ov"] = Set("accidental", "coercion", "dominance", "ideology", "notoriety", "organizational-gain", "personal-gain", "personal-satisfaction", "revenge", "unpredictable"),
        // §10.3
        ["attack-resource-level-ov"] = Set("individual", "club", "contest", "team", "organization", "government"),
        // §10.4
        ["encryption-algorithm-enum"] = Set("AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated"),
        // §10.5
        ["extension-type-enum"] = Set("new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"),
        // §10.6
        ["grouping-context-ov"] = Set("suspicious-activity", "malware-analysis", "unspecified"),
        // §10.7
        ["hash-algorithm-ov"] = Set("MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH"),
        // §10.8
        ["identity-class-ov"] = Set("individual", "group", "system", "organization", "class", "unknown"),
        // §10.9
        ["implementation-language-ov"] = Set("applescript", "bash", "c", "c++", "c#", "go", "java", "javascript", "lua", "objective-c", "perl", "php", "powershell", "python", "ruby", "rust", "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64"),
        // §10.10
        ["indicator-type-ov"] = Set("anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity", "attribution", "unknown"),
        // §10.11
        ["industry-sector-ov"] = Set("agriculture", "aerospace", "automotive", "chemical", "commercial", "communications", "construction", "defense", "education", "energy", "entertainment", "financial-services", "government", "emergency-services", "government-local", "government-national", "government-public-services", "government-regional", "healthcare", "hospitality-leisure", "infrastructure", "dams", "nuclear", "water", "insurance", "legal", "manufacturing", "mining", "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications", "transportation", "utilities"),
        // §10.12
        ["infrastructure-type-ov"] = Set("amplification", "anonymization", "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation", "unknown"),
        // §10.13
        ["malware-capabilities-ov"] = Set("accesses-remote-machines", "anti-debugging", "anti-disassembly", "anti-emulation", "anti-memory-forensics", "anti-sandbox", "anti-vm", "captures-input-peripherals", "captures-output-peripherals", "captures-system-state-data", "cleans-traces-of-infection", "commits-fraud", "communicates-with-c2", "compromises-data-availability", "compromises-data-integrity", "compromises-system-availability", "controls-local-machine", "degrades-security-software", "degrades-system-updates", "determines-c2-server", "emails-spam", "escalates-privileges", "evades-av", "exfiltrates-data", "fingerprints-host", "hides-artifacts", "hides-executing-code", "infects-files", "infects-remote-machines", "installs-other-components", "persists-after-system-reboot", "prevents-artifact-access", "prevents-artifact-deletion", "probes-network-environment", "self-modifies", "steals-authentication-credentials", "violates-system-operational-integrity"),
        // §10.14
        ["malware-result-ov"] = Set("malicious", "suspicious", "benign", "unknown"),
        // §10.15
        ["malware-type-ov"] = Set("adware", "backdoor", "bot", "bootkit", "ddos", "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan", "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware", "trojan", "unknown", "virus", "webshell", "wiper", "worm"),
        // §10.16
        ["network-socket-address-family-enum"] = Set("AF_UNSPEC", "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH"),
        // §10.17
        ["network-socket-type-enum"] = Set("SOCK_STREAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DGRAM"),
        // §10.18
        ["opinion-enum"] = Set("strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"),
        // §10.19
        ["pattern-type-ov"] = Set("stix", "pcre", "sigma", "snort", "suricata", "yara"),
        // §10.20
        ["processor-architecture-ov"] = Set("alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64"),
        // §10.21
        ["region-ov"] = Set("africa", "western-africa", "americas", "south-america", "asia", "western-asia", "europe", "western-europe", "oceania", "polynesia"),
        // §10.22
        ["report-type-ov"] = Set("attack-pattern", "campaign", "identity", "incident", "indicator", "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool", "vulnerability"),
        // §10.23
        ["threat-actor-type-ov"] = Set("activist", "competitor", "crime-syndicate", "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state", "private-sector", "sensationalist", "spy", "terrorist", "unknown"),
        // §10.24
        ["threat-actor-role-ov"] = Set("agent", "director", "independent", "infrastructure-architect", "infrastructure-operator", "malware-author", "sponsor"),
        // §10.25
        ["threat-actor-sophistication-ov"] = Set("none", "minimal", "intermediate", "advanced", "expert", "innovator", "strategic"),
        // §10.26
        ["tool-type-ov"] = Set("denial-of-service", "exploitation", "information-gathering", "network-capture", "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown"),
        // §10.27
        ["windows-integrity-level-enum"] = Set("low", "medium", "high", "system"),
        // §10.28
        ["windows-pebinary-type-ov"] = Set("dll", "exe", "sys"),
        // §10.29
        ["windows-registry-datatype-enum"] = Set("REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD", "REG_INVALID_TYPE"),
        // §10.30
        ["windows-service-start-type-enum"] = Set("SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT"),
        // §10.31
        ["windows-service-type-enum"] = Set("SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS"),
        // §10.32
        ["windows-service-status-enum"] = Set("SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_STOPPED"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether a vocabulary is a closed enumeration (values outside it are errors, not warnings).</summary>
    public static bool IsClosed(string name) => name.EndsWith("-enum", StringComparison.Ordinal);

    private static FrozenSet<string> Set(params string[] values) => values.ToFrozenSet(StringComparer.Ordinal);
}
