// Command roost is the Roost server and its administration tool. Everything
// it does lives in internal/cli; run `roost help` for the commands.
package main

import (
	"os"

	"github.com/roost-social/roost/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
