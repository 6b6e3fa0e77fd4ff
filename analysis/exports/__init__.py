"""Files for people: Excel, slides, documents."""
