from clausewright.resident.client import main

if __name__ == "__main__":  # not when a worker process started with "spawn" imports this module
    main()
