using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SpineGraph.Tests.Support;
using Xunit.Abstractions;

namespace SpineGraph.Tests.Api;

/// <summary>
/// tests/client-ts: TypeScript types generated from the committed openapi/v1.json by openapi-typescript, an
/// openapi-fetch client over them compiled by <c>tsc --strict</c>, run with Node against the real API listening on a
/// loopback port, checking every answer against the document (required, nullable, enums, undeclared properties).
/// </summary>
public class TypedClientTests(ITestOutputHelper output)
{
    private static readonly NodeTool Client = new("client-ts");
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AStrictTypeScriptClientGeneratedFromTheDocumentGetsAnswersFromTheRunningApiThatMatchTheDocument()
    {
        var generator = Client.Package(Path.Combine("openapi-typescript", "bin", "cli.js"));
        var tsc = Client.Package(Path.Combine("typescript", "bin", "tsc"));
        Client.Package(Path.Combine("openapi-fetch", "package.json"));

        await Step("openapi-typescript", [generator, OpenApiDocumentTests.CommittedPath, "--output", Path.Combine("src", "generated", "v1.d.ts")]);
        await Step("tsc --strict", [tsc, "--strict", "-p", "tsconfig.json"]);

        using var api = new ApiFactory();
        api.UseKestrel(0); // any free loopback port
        api.StartServer();
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var (exitCode, stdout, stderr) = await Client.RunAsync([Path.Combine("dist", "check.js"), address, OpenApiDocumentTests.CommittedPath], HangGuard);
        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"node dist/check.js {address} exited with {exitCode}:\n{stdout}\n{stderr}");
        var summary = System.Text.RegularExpressions.Regex.Match(stdout, @"^(\d+) of \1 checks passed", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(summary.Success && int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 15, stdout);
    }

    private async Task Step(string what, string[] arguments)
    {
        var (exitCode, stdout, stderr) = await Client.RunAsync(arguments, HangGuard);
        output.WriteLine($"{what}: exit {exitCode} {stdout}{stderr}");
        Assert.True(exitCode == 0, $"{what} failed with exit code {exitCode}:\n{stdout}\n{stderr}");
    }
}
