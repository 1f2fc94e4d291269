package store_test

import (
	"testing"

	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return store.NewMemory() })
}
