import { Module } from '@nestjs/common';
import { RecordingsModule } from '../recordings/recordings.module';
import { ScreenRecordingsModule } from '../screen-recordings/screen-recordings.module';
import { PlaybackController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Media streaming for players, through the crypto service for encrypted media. */
@Module({ imports: [RecordingsModule, ScreenRecordingsModule], controllers: [PlaybackController], providers: [PlaybackService] })
export class PlaybackModule {}
