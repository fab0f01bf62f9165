using System.ComponentModel.DataAnnotations;

namespace SpineGraph.Storage.Neo4j;

/// <summary>Settings of the <c>Neo4j</c> configuration section (env vars: <c>Neo4j__Url</c>, <c>Neo4j__Password</c>, ...).
/// The defaults are valid, so the embedded backend starts without any Neo4j settings.</summary>
public sealed class Neo4jOptions : IValidatableObject
{
    public const string Section = "Neo4j";

    /// <summary>Base address of the Neo4j HTTP endpoint (the Query API lives under <c>/db/{Database}/query/v2</c>).</summary>
    [Required]
    public string Url { get; set; } = "http://localhost:7474";

    /// <summary>Database name.</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    public string Database { get; set; } = "neo4j";

    /// <summary>User for HTTP Basic auth (with <see cref="Password"/>). Leave empty for no auth or bearer auth.</summary>
    public string? User { get; set; }

    /// <summary>Password for HTTP Basic auth. Never commit it: set it through <c>Neo4j__Password</c> or a secret store.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding <c>user/password</c>, the format of Neo4j's own <c>NEO4J_AUTH_FILE</c> (e.g. the Docker secret
    /// <c>/run/secrets/neo4j_auth</c> that docker-compose.yml mounts), read once at start instead of <see cref="User"/> and
    /// <see cref="Password"/>, so the password is in no environment variable and no <c>docker-compose config</c> output.</summary>
    public string? AuthFile { get; set; }

    /// <summary>Why <see cref="AuthFile"/> could not be read (reported by validation, one line).</summary>
    internal string? AuthFileProblem { get; set; }

    /// <summary>Reads <see cref="AuthFile"/> into <see cref="User"/> and <see cref="Password"/>.</summary>
    internal void ReadAuthFile()
    {
        if (string.IsNullOrWhiteSpace(AuthFile) || !string.IsNullOrEmpty(User) || !string.IsNullOrEmpty(Password)) return;
        try
        {
            var text = File.ReadAllText(AuthFile).Trim();
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == text.Length - 1)
            {
                AuthFileProblem = $"Neo4j:AuthFile '{AuthFile}' must hold 'user/password' on one line.";
                return;
            }
            User = text[..slash];
            Password = text[(slash + 1)..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AuthFileProblem = $"Neo4j:AuthFile '{AuthFile}' cannot be read: {e.Message}";
        }
    }

    /// <summary>Bearer token (SSO), instead of user and password.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Longest time to open a connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest time one attempt of one statement may take (each retry gets this again).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Longest time one statement of the seeder may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SeedTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries after a Neo4j transient error (<c>Neo.TransientError.*</c>) or, for reads, a connection failure.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; doubled per retry, with ±50 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the store checks whether the graph version changed (and reloads its lexicon and sources).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CatalogRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Rows per <c>UNWIND $rows</c> batch when seeding.</summary>
    [Range(1, 100_000)]
    public int SeedBatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return new ValidationResult($"Neo4j:Url '{Url}' must be an absolute http(s) URL, e.g. http://localhost:7474.", [nameof(Url)]);
        if (AuthFileProblem is not null)
            yield return new ValidationResult(AuthFileProblem, [nameof(AuthFile)]);
        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
            yield return new ValidationResult("Neo4j:User and Neo4j:Password go together.", [nameof(User), nameof(Password)]);
        if (!string.IsNullOrEmpty(BearerToken) && !string.IsNullOrEmpty(User))
            yield return new ValidationResult("Set either Neo4j:BearerToken or Neo4j:User/Password, not both.", [nameof(BearerToken)]);
    }
}
