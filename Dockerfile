# SpineGraph API (also runs the Neo4j seeder: `docker run <image> seed`).
# Build:  docker build -t spinegraph .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/SpineGraph.Api/SpineGraph.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY graph-seed/ ./graph-seed/
ENV Graph__SeedPath=/app/graph-seed \
    ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "SpineGraph.Api.dll"]
