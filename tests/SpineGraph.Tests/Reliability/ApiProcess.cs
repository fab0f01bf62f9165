using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SpineGraph.Tests.Support;

namespace SpineGraph.Tests.Reliability;

/// <summary>A fact about POSIX signals to a child process: run on Linux, skipped elsewhere with the reason.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Sends SIGTERM to the API process with kill(1); signal handling is tested on Linux only.";
    }
}

/// <summary>
/// The built API (<c>dotnet SpineGraph.Api.dll</c>) as a child process on a free loopback port, with its console output
/// collected line by line. Killed on dispose if it is still running.
/// </summary>
public sealed partial class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _waiters = [];
    private readonly Task _exited;

    private ApiProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _exited = _process.WaitForExitAsync();
    }

    public int Id => _process.Id;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the API with the given settings (<c>--Key=value</c>) and waits, up to <paramref name="guard"/> (a
    /// hang guard), for it to listen. Request start lines are logged so a test can see when a request is in flight.</summary>
    public static async Task<ApiProcess> StartAsync(TimeSpan guard, params string[] settings)
    {
        var psi = new ProcessStartInfo("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "SpineGraph.Api.dll"), "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information", .. settings,
        ])
        {
            WorkingDirectory = SeedGraph.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        var api = new ApiProcess(Process.Start(psi)!);
        var listening = api.WaitForLine(ListeningLine());
        var first = await Task.WhenAny(listening, api._exited, Task.Delay(guard));
        if (first != listening)
        {
            var why = first == api._exited ? $"exited with {api._process.ExitCode} before listening" : $"did not start listening within {guard}";
            var output = api.Output;
            api.Dispose();
            throw new InvalidOperationException($"The API {why}:\n{output}");
        }
        api.BaseAddress = new Uri((await listening).Groups["url"].Value);
        return api;
    }

    /// <summary>Completes when a line of output matches <paramref name="pattern"/> (from now on or already written).</summary>
    public Task<Match> WaitForLine(Regex pattern)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (pattern.Match(_output.ToString()) is { Success: true } m) seen.SetResult(m);
            else _waiters.Add((pattern, seen));
        }
        return seen.Task;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public async Task TerminateAsync()
    {
        var (code, _, stderr) = await ProcessRunner.RunAsync("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], SeedGraph.RepositoryRoot, TimeSpan.FromMinutes(1));
        if (code != 0) throw new InvalidOperationException($"kill -TERM {Id} failed: {stderr}");
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="guard"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan guard) =>
        await Task.WhenAny(_exited, Task.Delay(guard)) == _exited ? _process.ExitCode : null;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is not { Success: true } m) continue;
                _waiters[i].Seen.SetResult(m);
                _waiters.RemoveAt(i);
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
