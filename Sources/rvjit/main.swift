import RVJITCommands

InternalError.install()
InternalError.provokeIfAsked()
RVJITCommand.main()
