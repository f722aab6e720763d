using System.Reflection;

namespace MailerQ.Www.Host.Tests.Api;

/// <summary>
/// The dependency rule (issue 12, docs/embedding.md) on the built assemblies: Core references none of ours; Http,
/// Auth and Smtp only Core; the console library Core, Http and Auth — never Smtp, so an MTA can link it without our
/// SMTP engine. ArchitectureTests checks the project files; this checks what the compiler actually linked.
/// </summary>
public sealed class DependencyRuleTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "MailerQ.Www.Core", [] },
        { "MailerQ.Www.Http", ["MailerQ.Www.Core"] },
        { "MailerQ.Www.Auth", ["MailerQ.Www.Core"] },
        { "MailerQ.Www.Smtp", ["MailerQ.Www.Core"] },
        { "MailerQ.Www.Console", ["MailerQ.Www.Core", "MailerQ.Www.Http", "MailerQ.Www.Auth"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Library_assembly_references_only_the_libraries_the_rule_allows(string assembly, string[] allowed)
    {
        var ours = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("MailerQ.", StringComparison.Ordinal) || n == "mailerq")
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Empty(ours.Except(allowed));
    }

    [Fact]
    public void Console_library_does_not_reference_the_smtp_engine()
    {
        var console = Assembly.Load("MailerQ.Www.Console");
        Assert.DoesNotContain(console.GetReferencedAssemblies(), a => a.Name == "MailerQ.Www.Smtp");
        Assert.DoesNotContain(console.GetReferencedAssemblies(), a => a.Name == "mailerq");
    }
}
