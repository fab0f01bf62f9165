using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SpineGraph.Core.Embedded;
using SpineGraph.Core.Seed;

namespace SpineGraph.Api.Infrastructure;

/// <summary>
/// Start-up failures an operator can fix (settings, the seed, a snapshot) as one line per problem, without a stack
/// trace; anything else is a bug and keeps its trace.
/// </summary>
public static partial class StartupErrors
{
    /// <summary>Exit codes, as the seed and compile commands use them.</summary>
    public const int BadSettings = 2, BadSeed = 3;

    /// <summary>The problems, one line each, and the exit code; null when the failure is not one of ours to explain.</summary>
    public static (IReadOnlyList<string> Lines, int ExitCode)? Describe(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case OptionsValidationException o:
                    return ([.. o.Failures.Select(Readable)], BadSettings);
                case SeedValidationException s:
                    return ([$"the graph seed is invalid ({s.Errors.Count} problem(s)); nothing was loaded:", .. s.Errors.Select(err => "  " + err)], BadSeed);
                case SnapshotException s:
                    return ([s.Message], BadSettings);
                case InvalidOperationException i when ConversionFailure().Match(i.Message) is { Success: true } m:
                    return ([$"{m.Groups["key"].Value}: '{m.Groups["value"].Value}' is not valid{Allowed(m.Groups["type"].Value)}."], BadSettings);
            }
        }
        return null;
    }

    /// <summary>Prints the problems to standard error and returns the exit code.</summary>
    public static int Report((IReadOnlyList<string> Lines, int ExitCode) problems)
    {
        foreach (var line in problems.Lines) Console.Error.WriteLine("spinegraph: " + line);
        return problems.ExitCode;
    }

    private static string Allowed(string typeName)
    {
        var type = Type.GetType(typeName) ?? typeof(StartupErrors).Assembly.GetType(typeName) ?? typeof(GraphSnapshot).Assembly.GetType(typeName);
        if (type is { IsEnum: true }) return "; use one of " + string.Join(", ", Enum.GetNames(type));
        return type == typeof(TimeSpan) ? "; use a time span such as 00:00:30" : "";
    }

    /// <summary>"DataAnnotation validation failed for 'GraphOptions' members: 'X' with the error: 'msg'." → "Graph:X: msg".</summary>
    private static string Readable(string failure)
    {
        var m = AnnotationFailure().Match(failure);
        if (!m.Success) return failure;
        var section = m.Groups["type"].Value.EndsWith("Options", StringComparison.Ordinal) ? m.Groups["type"].Value[..^"Options".Length] : m.Groups["type"].Value;
        return $"{section}:{m.Groups["member"].Value}: {m.Groups["message"].Value}";
    }

    [GeneratedRegex(@"'(?<type>\w+)' members: '(?<member>[^']+)' with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex AnnotationFailure();

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
