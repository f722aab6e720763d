namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>
/// Cipher strings fed both to <c>openssl ciphers -s -stdname</c> and to OpenSslCipherList: every alias of
/// openssl-ciphers(1) alone, negated and combined with <c>+ - !</c>, plus separators, sorting, security levels,
/// single suites, unknown names and strings that select nothing.
/// </summary>
internal static class CipherStringCorpus
{
    private const string MailerQExample = "!aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH";

    // openssl-ciphers(1) "CIPHER LIST FORMAT" / "CIPHER STRINGS", OpenSSL 3.0, plus retired ones it still parses.
    private static readonly string[] Aliases =
    [
        "ALL", "DEFAULT", "COMPLEMENTOFDEFAULT", "COMPLEMENTOFALL", "HIGH", "MEDIUM", "LOW", "aNULL", "eNULL",
        "NULL", "EXPORT", "EXPORT40", "EXPORT56", "FIPS", "kRSA", "aRSA", "RSA", "kDHr", "kDHd", "kDH", "kEDH",
        "kDHE", "EDH", "DHE", "ADH", "kEECDH", "kECDHE", "ECDHE", "EECDH", "AECDH", "ECDH", "kECDH", "aECDSA",
        "ECDSA", "aDSS", "DSS", "aDH", "aECDH", "PSK", "kPSK", "kECDHEPSK", "kDHEPSK", "kRSAPSK", "aPSK", "SRP",
        "kSRP", "aSRP", "AES", "AES128", "AES256", "AESGCM", "AESCCM", "AESCCM8", "ARIA", "ARIA128", "ARIA256",
        "ARIAGCM", "CHACHA20", "CAMELLIA", "CAMELLIA128", "CAMELLIA256", "3DES", "DES", "RC4", "RC2", "IDEA",
        "SEED", "MD5", "SHA1", "SHA", "SHA256", "SHA384", "TLSv1.2", "TLSv1.0", "TLSv1", "SSLv3", "SSLv2",
        "SUITEB128", "SUITEB128ONLY", "SUITEB192", "CBC", "kGOST", "aGOST", "GOST94", "GOST89MAC",
    ];

    private static readonly string[] Handwritten =
    [
        MailerQExample,
        MailerQExample.Replace(':', ','),
        MailerQExample.Replace(':', ' '),
        "!aNULL, !eNULL  HIGH:MEDIUM , @STRENGTH",
        "",
        " ",
        ":",
        ",,",
        "FOO",
        "HIGH:FOO",
        "FOO:HIGH",
        "high",
        "!ALL",
        "ALL:!ALL",
        "-ALL",
        "+HIGH",
        "-ALL:HIGH",
        "HIGH:-HIGH:+AES",
        "HIGH:!HIGH:AES",
        "ALL:+RSA",
        "ALL:!RSA",
        "ALL:-RSA:RSA",
        "DEFAULT:+kRSA",
        "DEFAULT:!SHA1",
        "DEFAULT:!COMPLEMENTOFDEFAULT",
        "ALL:!COMPLEMENTOFDEFAULT",
        "ALL:COMPLEMENTOFALL",
        "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
        "aRSA:!aRSA:aRSA",
        "HIGH+AES",
        "AES+HIGH",
        "kECDHE+aRSA+AESGCM",
        "ECDHE+AESGCM:ECDHE+CHACHA20",
        "EECDH+AESGCM:EDH+AESGCM",
        "EECDH+AESGCM:EDH+AESGCM:AES256+EECDH:AES256+EDH",
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",
        "AES:!SHA1:!SHA256",
        "AES:!aECDSA:!aDSS",
        "AESGCM:!DHE",
        "HIGH:!aNULL:!MD5",
        "HIGH:!aNULL:!MD5:!RC4:!3DES",
        "HIGH:MEDIUM:!aNULL:!MD5:!RC4",
        "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH",
        "ALL:!EXPORT:!LOW:!aNULL:!eNULL:!SSLv2",
        "ALL:@STRENGTH",
        "@STRENGTH",
        "@STRENGTH:HIGH",
        "HIGH:@STRENGTH:+SHA1",
        "CHACHA20:AESGCM:@STRENGTH",
        "AES128:AES256:@STRENGTH",
        "@SECLEVEL=2",
        "@SECLEVEL=0:ALL",
        "ALL:@SECLEVEL=0",
        "ALL:@SECLEVEL=1",
        "ALL:@SECLEVEL=2",
        "ALL:@SECLEVEL=3",
        "ALL:@SECLEVEL=4",
        "ALL:@SECLEVEL=5",
        "ALL:@SECLEVEL=6",
        "ALL:@SECLEVEL=x",
        "ALL:@SECLEVEL",
        "ALL:@FOO",
        "DEFAULT:@SECLEVEL=0",
        "DEFAULT:@SECLEVEL=3",
        "HIGH:@SECLEVEL=4",
        "eNULL:@SECLEVEL=0",
        "NULL:@SECLEVEL=0",
        "aNULL:@SECLEVEL=0",
        "RC4:@SECLEVEL=0",
        "3DES:@SECLEVEL=0",
        "MD5:@SECLEVEL=0",
        "SHA1:@SECLEVEL=0",
        "SSLv3:@SECLEVEL=0",
        "kRSA:@SECLEVEL=0",
        "PSK:@SECLEVEL=0",
        "SUITEB128:@SECLEVEL=0",
        "SUITEB192:@SECLEVEL=0",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
        "DHE-RSA-AES256-GCM-SHA384",
        "DHE-RSA-AES128-SHA",
        "DHE-DSS-AES256-SHA256",
        "AES128-SHA",
        "AES256-SHA256",
        "AES128-GCM-SHA256",
        "AES256-CCM8",
        "ECDHE-ECDSA-AES128-CCM8",
        "ECDHE-ARIA256-GCM-SHA384",
        "CAMELLIA128-SHA",
        "ECDHE-RSA-CAMELLIA256-SHA384",
        "DES-CBC3-SHA",
        "ECDHE-RSA-DES-CBC3-SHA",
        "RC4-MD5",
        "RC4-SHA",
        "NULL-SHA256",
        "NULL-SHA256:@SECLEVEL=0",
        "ECDHE-ECDSA-NULL-SHA",
        "ADH-AES128-SHA",
        "AECDH-AES128-SHA",
        "PSK-AES128-CBC-SHA",
        "ECDHE-PSK-CHACHA20-POLY1305",
        "SRP-AES-128-CBC-SHA",
        "SEED-SHA",
        "IDEA-CBC-SHA",
        "EXP-RC4-MD5",
        "TLS_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256:FOO",
        "AES128-SHA:AES256-SHA",
        "AES256-SHA:AES128-SHA",
        "AES256-SHA:AES128-SHA:@STRENGTH",
        "ECDHE-RSA-AES128-GCM-SHA256:!ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256,AES128-SHA",
        "DEFAULT:-ECDHE-RSA-AES128-GCM-SHA256",
        "DEFAULT:+ECDHE-RSA-AES128-GCM-SHA256",
        "HIGH:!PSK:!SRP:!kRSA",
        "HIGH:!CAMELLIA:!ARIA:!AESCCM",
        "TLSv1.2:!aNULL",
        "TLSv1.2+AESGCM",
        "SSLv3+HIGH",
        "kEECDH:kEDH:kRSA",
        "kRSA:kEDH:kEECDH",
        "aECDSA:aRSA:aDSS",
        "FIPS:!kRSA",
        "FIPS:@STRENGTH",
        "MEDIUM:!SEED",
        "LOW:MEDIUM",
        "EXPORT:HIGH",
        "DEFAULT:COMPLEMENTOFDEFAULT",
        "ECDH:!ECDH",
        "DHE:-DHE:+DHE",
        "ALL:!kEDH:!kEECDH",
        "HIGH:&ECDSA",
        "HIGH::AES",
        "HIGH:",
        ":HIGH",
        "HIGH;AES",
        "HIGH\tAES",
        "ECDHE-RSA-AES128-GCM-SHA256\u00e9",
    ];

    public static TheoryData<string> All()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var data = new TheoryData<string>();
        foreach (string s in Handwritten)
        {
            if (seen.Add(s))
                data.Add(s);
        }

        foreach (string alias in Aliases)
        {
            foreach (string s in (string[])[alias, "!" + alias, "ALL:!" + alias, "DEFAULT:-" + alias, "HIGH:+" + alias, alias + ":@STRENGTH"])
            {
                if (seen.Add(s))
                    data.Add(s);
            }
        }

        return data;
    }
}
