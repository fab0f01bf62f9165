using System.Reflection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace SpineGraph.Api.Export;

/// <summary>
/// A streamed export: headers (media type, <c>Content-Disposition</c> with the file name) first, then the file written
/// page by page straight to the response body. A failure after the first bytes cannot become a problem response any
/// more: the connection is aborted, so the client sees a cut transfer (an incomplete chunked body, a zip without its
/// central directory), never a file that looks whole.
/// </summary>
public sealed class ExportResult(ExportScope scope, ExportFormat format) : IResult, IEndpointMetadataProvider
{
    public ExportFormat Format => format;

    public string FileName => ExportFormats.FileName(scope.Version, format);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ExportFormats.ContentType(format);
        response.Headers.ContentDisposition = $"attachment; filename=\"{FileName}\"";
        response.Headers.XContentTypeOptions = "nosniff";
        await response.StartAsync(ct);
        var body = response.Body;
        switch (format)
        {
            case ExportFormat.KgxJsonl:
                await KgxWriter.WriteAsync(scope, tsv: false, body, ct);
                break;
            case ExportFormat.KgxTsv:
                await KgxWriter.WriteAsync(scope, tsv: true, body, ct);
                break;
            case ExportFormat.GraphMl:
                await GraphMlWriter.WriteAsync(scope, body, ct);
                break;
            case ExportFormat.Cytoscape:
                var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                await CytoscapeWriter.WriteAsync(scope, body, json, ct);
                break;
            default:
                await CsvWriter.WriteAsync(scope, body, ct);
                break;
        }
    }

    /// <summary>The 200 answer in every media type (OpenApiSetup's export filter gives each its schema).</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), [.. ExportFormats.MediaTypes]));
}
