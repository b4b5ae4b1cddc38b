// Command printversion prints version.String(): the test builds it with the
// Makefile's -X flag to check the flag really reaches the variable.
package main

import (
	"fmt"

	"onramp/backend/version"
)

func main() { fmt.Println(version.String()) }
