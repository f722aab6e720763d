using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

public sealed class LoginPageTests
{
    [Fact]
    public async Task An_operator_logs_in_sees_the_overview_tiles_and_logs_out()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();

        foreach (var tile in new[] { "Connects", "Attempts", "Deliveries", "Errors", "Strange", "Not tried" })
            await Assertions.Expect(console.Page.GetByRole(AriaRole.Heading, new() { Name = tile, Exact = true })).ToBeVisibleAsync();
        await console.ScreenshotAsync("overview-after-login");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_with_a_message_and_no_session()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.Page.GotoAsync(console.BaseUrl + "/");
        await console.Page.GetByLabel("Username").FillAsync(ConsoleSession.User);
        await console.Page.GetByLabel("Password").FillAsync("wrong");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(console.Page.GetByText("Invalid credentials")).ToBeVisibleAsync();
        await console.ScreenshotAsync("login-refused");
    }
}
