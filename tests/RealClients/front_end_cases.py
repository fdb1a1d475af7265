"""The front-end cases of issue 12 that both real clients (stdio_check.py, jupyter_check.py) run:
a misspelled option, two directives in one cell each with its own --on, and an estimate that
does not fit."""

# Refused with the closest option's name.
MISSPELLED = "#!wafer estimate --model llama2-7b --on dgx-h100:64 --token 2T"

# Each line's --on values belong to that line, not to the first line of the cell.
TWO_COMPARES = ("#!wafer compare --model llama2-7b --tokens 1T --on dgx-h100:64 --on dgx-a100-80gb:64\n"
                "#!wafer compare --model llama2-7b --tokens 1T --on dgx-h200:32 --on cs-3:2")

# Llama 3 405B on 8 H100s with ZeRO-1 needs far more than 80 GB per device: optimizer state overflows.
INFEASIBLE = "#!wafer estimate --model llama3-405b --on dgx-h100:8 --tokens 1T --layout tp=8,zero=1"

# Labels of headline numbers a card that does not fit must not show.
HEADLINES = ["time to train", "throughput", "MFU", "energy", "cost"]
