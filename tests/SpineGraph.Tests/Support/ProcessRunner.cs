using System.Diagnostics;
using System.Text;

namespace SpineGraph.Tests.Support;

/// <summary>Runs a tool the tests drive (node, python3) to the end, with a hang guard.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/> with the given stdin; returns exit code,
    /// stdout and stderr. Past <paramref name="timeout"/> (a hang guard, never a timing assertion) it is killed.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> args, string directory, TimeSpan timeout, string? stdin = null)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
