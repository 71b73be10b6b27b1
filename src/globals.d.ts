declare const CLAW_VERSION: string;
