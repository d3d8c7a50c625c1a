
	*
helloWARN