# MailerQ.Www — build, run and test. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
RID ?= linux-x64
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all build run test aot pack sample bench bench-load bench-delivery bench-ws deps clean

all: build

# The runnable program: out/mailerq (framework-dependent) next to its assemblies.
build:
	$(DOTNET) publish src/Host/MailerQ.Www.Host.csproj -c $(CONFIG) -o out --nologo -v q -p:UseAppHost=true
	@test -x out/mailerq && echo "built out/mailerq"

# The same program as one NativeAOT binary.
aot:
	$(DOTNET) publish src/Host/MailerQ.Www.Host.csproj -c $(CONFIG) -r $(RID) -p:PublishAot=true -o out/aot --nologo -v q
	@rm -f out/aot/*.dbg out/aot/*.xml out/aot/*.pdb
	@test -x out/aot/mailerq && ls -l out/aot/mailerq

# NuGet packages of the libraries an MTA embeds (docs/embedding.md): out/packages/*.nupkg (+ .snupkg symbols).
# VERSION overrides the version in Directory.Build.props.
PACKAGES := Core Http Auth Smtp Console
VERSION ?=
pack:
	@rm -rf out/packages
	@# Console and Smtp build the other three; then every package is packed from those outputs.
	$(DOTNET) build src/Console/MailerQ.Www.Console.csproj -c $(CONFIG) --nologo -v q $(if $(VERSION),-p:Version=$(VERSION))
	$(DOTNET) build src/Smtp/MailerQ.Www.Smtp.csproj -c $(CONFIG) --nologo -v q $(if $(VERSION),-p:Version=$(VERSION))
	@for p in $(PACKAGES); do \
	  $(DOTNET) pack src/$$p/MailerQ.Www.$$p.csproj -c $(CONFIG) --no-build -o out/packages --nologo -v q $(if $(VERSION),-p:Version=$(VERSION)) || exit 1; \
	done
	@ls out/packages

# The embedding sample (samples/EmbeddedMta): an MTA with its own SMTP listener that serves the console from
# the packages above, published as one NativeAOT binary at out/sample/EmbeddedMta.
sample: pack
	@rm -rf out/sample out/sample-packages/mailerq.www.*
	$(DOTNET) publish samples/EmbeddedMta/EmbeddedMta.csproj -c $(CONFIG) -r $(RID) -o out/sample --nologo -v q $(if $(VERSION),-p:MailerQWwwVersion=$(VERSION))
	@rm -f out/sample/*.dbg
	@test -x out/sample/EmbeddedMta && ls -l out/sample/EmbeddedMta

run: build
	mkdir -p var
	./out/mailerq --config-file etc/config.txt

# Installs what the tests need (apt packages, NuGet restore), builds the programs the
# tests start, runs every test project and ends with "N passed, N failed, N skipped".
test: deps build aot sample
	bash tests/run-tests.sh

deps:
	bash tests/install-deps.sh

# Every BenchmarkDotNet benchmark (40) with MemoryDiagnoser; BenchmarkDotNet's ShortRun job (about 6 minutes here;
# the Allocated column is exact either way). BENCH_JOB=default for the full job (about 75 minutes), BENCH_ARGS for
# more, e.g. BENCH_ARGS="--filter '*Router*'".
BENCH_JOB ?= short
bench:
	$(DOTNET) run -c Release --project bench/MailerQ.Www.Bench.csproj -- --filter '*' --job $(BENCH_JOB) $(BENCH_ARGS)

# Load comparison against Kestrel (bench/KestrelPeer) with wrk, a connection storm and NativeAOT
# size/startup/RSS; builds everything it runs; prints the tables (bench/load.sh, docs/perf.md).
bench-load:
	bash bench/load.sh

# Outbound deliveries/s to Postfix's smtp-sink from a pre-filled outbox (10,000 and 100,000 messages, RSS) and
# inbound messages/s with the fsync'd spool against smtp-sink (bench/delivery.sh, docs/perf.md).
bench-delivery:
	bash bench/delivery.sh

# WebSocket fan-out to 1,000 subscribers: ours (SMTP trace) against the Kestrel peer's broadcast, then
# ours with stalled subscribers (bench/ws.sh, bench/WsFanout, docs/perf.md).
bench-ws:
	bash bench/ws.sh

clean:
	rm -rf out var
	$(DOTNET) clean MailerQ.Www.sln -v q --nologo
