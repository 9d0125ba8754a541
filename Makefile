# courtbot — the two commands first: `make run`, `make test`.
.PHONY: run test lint setup train eval-nlu clean

run:            ## set up everything and run the whole stack in the foreground
	./courtbot run

test:           ## lint, unit, integration (PostgreSQL/Redis when DATABASE_URL/REDIS_URL), end-to-end
	bash scripts/test.sh

lint:
	bash scripts/test.sh --lint-only

setup:
	./courtbot setup

train:
	./courtbot train

clean:          ## remove local data (database, Rasa tracker); virtualenvs and models stay cached
	rm -rf var

eval-nlu:       ## train if needed, evaluate the NLU pipelines, write benchmarks/RESULTS.md
	./courtbot eval-nlu
