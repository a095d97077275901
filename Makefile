# The two commands of the README:
#   make run   build, create a demo database and run the demo scenario
#   make test  build (also with ASan/UBSan) and run every test
BUILD := build
ASAN  := build-asan

.PHONY: all deps build asan run demo test bench clean

all: build

deps:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)

# The demo, then the API on the demo database (Ctrl-C stops it).
LISTEN ?= 127.0.0.1:8080
run: build
	CHIPTOLL_SERVE=$(LISTEN) scripts/demo.sh $(BUILD)/chiptoll

demo: run

test: build asan
	scripts/test.sh $(BUILD) $(ASAN)

# The import against raw SQLite inserts, then the HTTP load (wrk).
bench: build
	bench/run.sh $(BUILD)
	bench/http.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN)
